from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "partnerops.usage"
    label = "usage"
    verbose_name = "Hub usage"

    def ready(self) -> None:
        from partnerops.hubs.panels import register_hub_panel
        from partnerops.usage.views import hub_usage_panel

        register_hub_panel(hub_usage_panel)
