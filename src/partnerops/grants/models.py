"""Grants we seek (seed 000): opportunities with a funder, amounts, dates and a state
table; once awarded, deliverables and reporting deadlines; sub-awards to communities
are agreements of kind grant sub-award, linked here to the grant they come from."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from partnerops.contracts.models import Agreement
from partnerops.crm.models import Engagement, Organization, currency_validator
from partnerops.playbooks.models import Document


class GrantState(models.TextChoices):
    PROSPECTING = "prospecting", "Prospecting"
    DRAFTING = "drafting", "Drafting"
    SUBMITTED = "submitted", "Submitted"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Grant(models.Model):
    funder = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="grants",
        help_text="An organization of kind funder.",
    )
    programme = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    currency = models.CharField(max_length=3, default="USD", validators=[currency_validator])
    amount_requested = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount_expected = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="What we expect to receive, if less than asked.",
    )
    amount_awarded = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    probability = models.PositiveSmallIntegerField(
        default=25, validators=[MaxValueValidator(100)], help_text="Percent chance of an award."
    )
    found_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField(null=True, blank=True, help_text="The application deadline.")
    submitted_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    award_start_on = models.DateField(null=True, blank=True)
    award_end_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grants",
    )
    engagements: models.ManyToManyField[Engagement, Any] = models.ManyToManyField(
        Engagement, blank=True, related_name="grants", help_text="The communities it concerns."
    )
    subawards: models.ManyToManyField[Agreement, Any] = models.ManyToManyField(
        Agreement,
        blank=True,
        related_name="source_grants",
        help_text="Agreements of kind grant sub-award funded by it.",
    )
    # The proposal, the award letter and the reports, each upload a new version (the
    # playbooks' documents, kept in the funder's folder).
    documents: models.ManyToManyField[Document, Any] = models.ManyToManyField(
        Document, blank=True, related_name="grants"
    )
    state = models.CharField(
        max_length=20, choices=GrantState.choices, default=GrantState.PROSPECTING
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award_end_on__isnull=True)
                | models.Q(award_start_on__isnull=True)
                | models.Q(award_end_on__gte=models.F("award_start_on")),
                name="grant_award_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.funder})"


class ObligationKind(models.TextChoices):
    DELIVERABLE = "deliverable", "Deliverable"
    NARRATIVE_REPORT = "narrative_report", "Narrative report"
    FINANCIAL_REPORT = "financial_report", "Financial report"


class GrantObligation(models.Model):
    """A deliverable or a reporting deadline of an awarded grant, with its owner."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(max_length=20, choices=ObligationKind.choices)
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} (due {self.due_on:%Y-%m-%d})"
