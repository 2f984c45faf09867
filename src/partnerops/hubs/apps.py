from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "partnerops.hubs"
    label = "hubs"
    verbose_name = "Hubs"
