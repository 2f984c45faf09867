from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "partnerops.playbooks"
    label = "playbooks"
    verbose_name = "Playbooks and correspondence"

    def ready(self) -> None:
        # The engagement page (crm) shows runs, documents and correspondence: playbooks
        # adds its section there, so crm never imports playbooks.
        from partnerops.crm.sections import register_engagement_section
        from partnerops.playbooks.selectors import engagement_section

        register_engagement_section(engagement_section)
