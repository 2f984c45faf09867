from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "partnerops.crm"
    label = "crm"
    verbose_name = "Pipeline"
