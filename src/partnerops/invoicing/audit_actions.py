"""What the audit trail records of billing runs and invoices."""

from django.db import models

from partnerops.core.audit import register_actions


class InvoicingAction(models.TextChoices):
    BILLING_RUN = "billing_run", "billing run"
    CONFIRMATION_REQUESTED = "confirmation_requested", "confirmation requested"
    QUESTION_RAISED = "question_raised", "question raised"
    DELIVERY_CONFIRMED = "delivery_confirmed", "delivery confirmed"
    RETURNED_TO_DRAFT = "returned_to_draft", "returned to draft"
    ISSUED = "issued", "issued"
    VOIDED = "voided", "voided"
    PAID = "paid", "paid"


register_actions(InvoicingAction)
