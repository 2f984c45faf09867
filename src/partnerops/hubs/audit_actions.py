"""What the audit trail records of hubs, besides creating and changing them."""

from django.db import models

from partnerops.core.audit import register_actions


class HubsAction(models.TextChoices):
    TRANSITION = "transition", "moved to another state"


register_actions(HubsAction)
