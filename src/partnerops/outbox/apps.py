from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Outgoing email for every app: the outbox (stored first, sent once) and the email
    templates administrators edit. Below contracts, invoicing and playbooks, which send
    mail through it; above crm, whose engagements an email may belong to."""

    name = "partnerops.outbox"
    label = "outbox"
    verbose_name = "Outgoing email"
