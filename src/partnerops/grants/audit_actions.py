"""What the audit trail records of grants, besides creating and changing them."""

from django.db import models

from partnerops.core.audit import register_actions


class GrantsAction(models.TextChoices):
    GRANT_MOVED = "grant_moved", "moved the grant"
    OBLIGATION_DONE = "obligation_done", "marked done"


register_actions(GrantsAction)
