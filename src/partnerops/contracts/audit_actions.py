"""What the audit trail records of agreements, the price book, check-ins and the calendar."""

from django.db import models

from partnerops.core.audit import register_actions


class ContractsAction(models.TextChoices):
    TRANSITION = "transition", "moved to another state"
    SUPERSEDED = "superseded", "superseded by a new price"
    PRICE_CONFIRMED = "price_confirmed", "price confirmed"
    RENEWED = "renewed", "renewed"
    AUTO_RENEWED = "auto_renewed", "renewed automatically"
    EXTEND = "extend", "extended"
    FORMAL_DOCUMENTS = "formal_documents", "formal documents updated"
    ANSWERED = "answered", "check-in answered"
    ROTATE = "rotate", "calendar address rotated"


register_actions(ContractsAction)
