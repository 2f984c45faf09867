from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "partnerops.contracts"
    label = "contracts"
    verbose_name = "Agreements and price book"
