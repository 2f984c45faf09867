"""What the audit trail records of playbook runs and documents."""

from django.db import models

from partnerops.core.audit import register_actions


class PlaybooksAction(models.TextChoices):
    SHARED = "shared", "shared by signed link"
    LINKS_WITHDRAWN = "links_withdrawn", "shared links withdrawn"
    STEP_DONE = "step_done", "step done"
    STEP_SKIPPED = "step_skipped", "step skipped"


register_actions(PlaybooksAction)
