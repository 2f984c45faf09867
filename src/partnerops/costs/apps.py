from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "partnerops.costs"
    label = "costs"
    verbose_name = "Cloud costs"
