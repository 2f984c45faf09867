"""What the audit trail records of hub usage, besides creating and changing clusters."""

from django.db import models

from partnerops.core.audit import register_actions


class UsageAction(models.TextChoices):
    PULLED = "usage_pulled", "pulled usage"
    IMPORTED = "usage_imported", "imported usage"


register_actions(UsageAction)
