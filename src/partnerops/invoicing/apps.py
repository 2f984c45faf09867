from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "partnerops.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"

    def ready(self) -> None:
        from partnerops.costs.panels import register_month_panel
        from partnerops.invoicing.unbilled import not_billed_panel

        register_month_panel(not_billed_panel)
