from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "partnerops.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
