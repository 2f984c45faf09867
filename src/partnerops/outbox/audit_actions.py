"""What the audit trail records of outgoing email."""

from django.db import models

from partnerops.core.audit import register_actions


class OutboxAction(models.TextChoices):
    QUEUED = "queued", "queued to send"


register_actions(OutboxAction)
