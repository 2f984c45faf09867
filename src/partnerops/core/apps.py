from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnerops.core"
    label = "core"
    verbose_name = "PartnerOps core"
