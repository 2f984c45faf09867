"""What the audit trail records of the team, besides creating and changing records."""

from django.db import models

from partnerops.core.audit import register_actions


class TeamAction(models.TextChoices):
    ASSIGNMENT_ENDED = "assignment_ended", "ended the assignment"


register_actions(TeamAction)
