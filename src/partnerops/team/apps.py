from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "partnerops.team"
    label = "team"
    verbose_name = "Team"
