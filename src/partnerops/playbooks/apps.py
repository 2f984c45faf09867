from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "partnerops.playbooks"
    label = "playbooks"
    verbose_name = "Playbooks and correspondence"
