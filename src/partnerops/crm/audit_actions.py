"""What the audit trail records of the pipeline, besides creating, changing and deleting."""

from django.db import models

from partnerops.core.audit import register_actions


class CrmAction(models.TextChoices):
    MOVE = "move", "moved"
    QUALIFICATION = "qualification", "MANIAC-T assessed"


register_actions(CrmAction)
