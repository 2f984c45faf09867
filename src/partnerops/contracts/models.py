"""The price book, agreements with their addenda and extensions, formal documents,
satisfaction check-ins and renewal reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from partnerops.crm.models import Contact, Engagement, currency_validator


class TierKind(models.TextChoices):
    EDUCATION = "education", "Education"
    RESEARCH = "research", "Research"
    PARTNERSHIP = "partnership", "Partnership"
    MEMBERSHIP = "membership", "Membership"
    SUPPORT_HOURS = "support_hours", "Support hours"


class ServiceTier(models.Model):
    """One version of a tier's price. A price change is a new version; agreements
    point at the version they were made at and copy its price."""

    code = models.SlugField(
        max_length=50, help_text="Stable name across versions, e.g. 'research'."
    )
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=TierKind.choices)
    effective_from = models.DateField()
    effective_until = models.DateField(
        null=True, blank=True, help_text="Last day this price applies."
    )
    monthly_fee = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    annual_fee = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    hourly_rate = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="For support hours."
    )
    currency = models.CharField(max_length=3, default="USD", validators=[currency_validator])
    cloud_cost_pass_through = models.BooleanField(
        default=True, help_text="Cloud costs are recovered at cost, on top of the fee."
    )
    dedicated_cluster_markup_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("50.00"), validators=[MinValueValidator(0)]
    )
    cloud_markup_on_dedicated = models.BooleanField(
        default=False,
        help_text="Invoices add the dedicated-cluster markup to the cloud spend of dedicated hubs.",
    )
    engineer_fte_per_hub = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Share of one engineer a hub needs, e.g. 0.0450."
    )
    hubs_per_engineer = models.DecimalField(max_digits=6, decimal_places=2)
    usage_pricing_code = models.SlugField(
        max_length=50,
        blank=True,
        help_text="Charges a usage fee at this usage price (the version in effect each "
        "month); blank: no usage fee.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="tier_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.currency} {self.monthly_fee}/month)"

    def applies_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


class UsagePricing(models.Model):
    """One version of a usage price: the monthly-active-user fee in bands. Tiers that
    charge for usage name its code; each month is charged at the version in effect on
    the month's first day. A price change is a new version, as for tiers."""

    code = models.SlugField(max_length=50, help_text="Stable name across versions.")
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3, default="USD", validators=[currency_validator])
    effective_from = models.DateField()
    effective_until = models.DateField(
        null=True, blank=True, help_text="Last day this price applies."
    )
    # [{"up_to": 10, "unit_amount": "10.00"}, ..., {"up_to": null, "unit_amount": "0.00"}]:
    # each band prices the users above the previous band's edge up to its own.
    bands = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="usage_pricing_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def applies_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


class AgreementKind(models.TextChoices):
    EMAIL_CONFIRMATION = "email_confirmation", "Tier confirmed by email"
    SERVICES_AGREEMENT = "services_agreement", "Services agreement (contract)"
    GRANT_SUBAWARD = "grant_subaward", "Grant sub-award"


class AgreementState(models.TextChoices):
    DRAFT = "draft", "Draft"
    NEGOTIATING = "negotiating", "Negotiating"
    READY_TO_SIGN = "ready_to_sign", "Ready to sign"
    OUT_FOR_SIGNATURE = "out_for_signature", "Out for signature"
    EXECUTED = "executed", "Executed"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class EndReason(models.TextChoices):
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    RENEWED = "renewed", "Renewed"


class BillingPeriod(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    ANNUAL = "annual", "Annual"


class DeliveryBasis(models.TextChoices):
    """What proves delivery before an invoice (seed 004)."""

    CONTRACT = "contract", "A contract describes delivery"
    MONTHLY_CONFIRMATION = "monthly_confirmation", "Community confirms delivery each month"


class Proration(models.TextChoices):
    """How a monthly fee is charged for a month the service only partly covers."""

    BY_DAY = "by_day", "By day (fee x days in service / days in the month)"
    WHOLE_MONTH = "whole_month", "Whole month (any day in service bills the month)"


class Agreement(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="agreements")
    renews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    tier = models.ForeignKey(ServiceTier, on_delete=models.PROTECT, related_name="agreements")
    price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Negotiated price per billing period.",
    )
    currency = models.CharField(max_length=3, default="USD", validators=[currency_validator])
    billing_period = models.CharField(
        max_length=10, choices=BillingPeriod.choices, default=BillingPeriod.MONTHLY
    )
    proration = models.CharField(
        max_length=20,
        choices=Proration.choices,
        default=Proration.BY_DAY,
        help_text="Invoicing of a month the service starts or ends in.",
    )
    start_on = models.DateField()
    end_on = models.DateField()
    term_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    auto_renew = models.BooleanField(default=False)
    notice_days = models.PositiveSmallIntegerField(
        default=60, help_text="Notice needed to stop an auto-renewal."
    )
    billing_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="billed_agreements"
    )
    state = models.CharField(
        max_length=20, choices=AgreementState.choices, default=AgreementState.DRAFT
    )
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    executed_on = models.DateField(null=True, blank=True)
    executed_copy = models.FileField(upload_to="agreements/executed/%Y/", blank=True)
    # Invoicing evidence (seed 004): the tier agreed at a price, plus a delivery basis.
    price_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When the community confirmed tier and price."
    )
    price_confirmation = models.TextField(
        blank=True, help_text="Where the confirmation is, e.g. the email's subject and date."
    )
    delivery_basis = models.CharField(
        max_length=30, choices=DeliveryBasis.choices, default=DeliveryBasis.MONTHLY_CONFIRMATION
    )
    # A negotiated usage price: this version, whatever the price book says later.
    usage_pricing = models.ForeignKey(
        UsagePricing,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text="Overrides the tier's usage price; blank: the tier's.",
    )
    usage_fee_waived = models.BooleanField(
        default=False, help_text="No usage fee, whatever the tier charges."
    )
    formal_documents: models.ManyToManyField[FormalDocumentVersion, Any] = models.ManyToManyField(
        "FormalDocumentVersion", blank=True, related_name="agreements"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ended") | ~models.Q(end_reason=""),
                name="agreement_ended_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "end_on"])]

    def __str__(self) -> str:
        return f"{self.engagement.organization.name}: {self.tier.name} {self.start_on:%Y-%m-%d} to {self.end_on:%Y-%m-%d}"

    def missing_invoicing_evidence(self) -> list[str]:
        """What seed 004 needs before invoicing that this agreement lacks, in plain words."""
        missing = []
        if self.price_confirmed_on is None:
            missing.append("no confirmation of the tier at its price")
        if self.delivery_basis == DeliveryBasis.CONTRACT and (
            self.kind == AgreementKind.EMAIL_CONFIRMATION or self.executed_on is None
        ):
            missing.append(
                "delivery is to be covered by a contract, but no executed contract is recorded"
            )
        return missing


class AddendumKind(models.TextChoices):
    STATEMENT_OF_WORK = "statement_of_work", "Statement of work"
    DELIVERABLES = "deliverables", "Deliverables"
    OTHER = "other", "Other"


class Addendum(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="addenda")
    kind = models.CharField(max_length=30, choices=AddendumKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "addenda"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"


class Deliverable(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED
    )
    delivered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on:%Y-%m-%d})"


class Extension(models.Model):
    """An extension of an agreement's end date, in configurable steps (2 weeks by default)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="extensions")
    steps = models.PositiveSmallIntegerField(default=1)
    days = models.PositiveSmallIntegerField()
    previous_end_on = models.DateField()
    new_end_on = models.DateField()
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"+{self.days} days to {self.new_end_on:%Y-%m-%d}"


class FormalDocumentKind(models.TextChoices):
    """Seed 000/002: the documents that formalise our relationships."""

    SERVICE_LEVEL_AGREEMENT = "sla", "Service Level Agreement"
    SUPPORT_EXPECTATIONS = "support", "Support Expectations"
    TERMS_OF_SERVICE = "terms", "Terms of Service"
    PRIVACY_POLICY = "privacy", "Privacy Policy"
    RIGHT_TO_REPLICATE = "replicate", "Right to Replicate"
    BREACH_RESPONSE_PLAN = "breach", "Information security breach response plan"
    HECVAT = "hecvat", "HECVAT"
    ACCESSIBILITY = "accessibility", "Accessibility"


class FormalDocumentVersion(models.Model):
    document = models.CharField(max_length=20, choices=FormalDocumentKind.choices)
    version = models.CharField(max_length=30)
    effective_on = models.DateField()
    file = models.FileField(upload_to="formal-documents/%Y/", blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["document", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version"], name="formal_document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.version}"


class CheckInSchedule(models.Model):
    """When a partner is next asked how satisfied they are (quarterly by default)."""

    engagement = models.OneToOneField(
        Engagement, on_delete=models.CASCADE, related_name="check_in_schedule"
    )
    interval_months = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    next_due_on = models.DateField()
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.engagement}: every {self.interval_months} months, next {self.next_due_on:%Y-%m-%d}"


class CheckIn(models.Model):
    """One satisfaction survey sent to a community representative; answered once."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="check_ins")
    contact = models.ForeignKey(
        Contact, null=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "due_on"], name="check_in_once_per_due_date"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=10), name="check_in_score_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.engagement} {self.due_on:%Y-%m-%d}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar address; rotating it replaces the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    rotated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "core_calendarfeed"  # the table it had under core

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
