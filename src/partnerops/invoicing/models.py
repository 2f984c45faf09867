"""Monthly cost-recovery invoices (seed 004): billing runs, drafts, confirmation,
numbered invoices, payments and credit notes.

A draft is derived data: the billing run rebuilds it from the agreements, the
imported cloud costs and the month's manual charges, so refreshing it loses
nothing. From "issued" on an invoice never changes; corrections are credit notes
or a void and a re-issue (the voided invoice keeps its number).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from partnerops.contracts.models import Agreement
from partnerops.crm.models import Contact, Engagement, Organization, currency_validator
from partnerops.hubs.models import Hub

ZERO = Decimal("0.00")
month_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "A month is written YYYY-MM.")


def money_field(**kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, **kwargs)  # type: ignore[arg-type]


class InvoiceState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Awaiting confirmation"
    QUESTIONED = "questioned", "Question raised"
    CONFIRMED = "confirmed", "Confirmed"
    ISSUED = "issued", "Issued"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


# States in which the invoice has a number and its lines are frozen.
FINAL_STATES = (InvoiceState.ISSUED, InvoiceState.PAID, InvoiceState.VOID)


class LineKind(models.TextChoices):
    OPERATIONS_FEE = "operations_fee", "Operations fee"
    MEMBERSHIP_FEE = "membership_fee", "Membership fee"
    CLOUD_COSTS = "cloud_costs", "Cloud costs (pass-through)"
    DEDICATED_MARKUP = "dedicated_markup", "Dedicated-cluster markup"
    SUPPORT_HOURS = "support_hours", "Support hours"
    USAGE_FEE = "usage_fee", "Usage fee"
    ADJUSTMENT = "adjustment", "Adjustment"


class ConfirmationSource(models.TextChoices):
    CONTRACT = "contract", "Covered by the contract"
    LINK = "link", "Confirmed through the link"
    EMAIL = "email", "Confirmed by email (recorded by Operations)"


class BillingRun(models.Model):
    """One run of a month: what it drafted, refreshed and why communities were blocked."""

    month = models.CharField(max_length=7, validators=[month_validator])
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    refreshed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    past_draft = models.PositiveIntegerField(
        default=0, help_text="Invoices already beyond draft, left as they are."
    )
    blocked = models.JSONField(
        default=list,
        help_text="[{organization_id, organization, reasons}] for communities not drafted.",
    )
    summary = models.TextField(blank=True, help_text="The summary sent to the operations address.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Billing run {self.month} at {self.started_at:%Y-%m-%d %H:%M}"


class ManualCharge(models.Model):
    """A line Operations adds to a community's month: support hours, usage, adjustments.
    The run puts it on the draft; once the invoice is issued it cannot change."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="manual_charges"
    )
    month = models.CharField(max_length=7, validators=[month_validator])
    kind = models.CharField(max_length=20, choices=LineKind.choices, default=LineKind.ADJUSTMENT)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=12, decimal_places=4, default=Decimal(1))
    unit_amount = models.DecimalField(max_digits=14, decimal_places=2)
    account_code = models.CharField(max_length=20, blank=True, help_text="Blank: the kind's code.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organization", "month", "id"]
        indexes = [models.Index(fields=["month", "organization"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.month}: {self.description}"


class Invoice(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="invoices"
    )
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    month = models.CharField(max_length=7, validators=[month_validator])
    state = models.CharField(
        max_length=30, choices=InvoiceState.choices, default=InvoiceState.DRAFT
    )
    currency = models.CharField(max_length=3, validators=[currency_validator])
    total = money_field()
    lines_digest = models.CharField(max_length=64, blank=True, help_text="What the run built.")
    confirmation_required = models.BooleanField(default=True)
    billing_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    representative = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who confirms delivery.",
    )
    # Confirmation of delivery.
    confirmation_requested_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_source = models.CharField(
        max_length=20, choices=ConfirmationSource.choices, blank=True
    )
    confirmed_by = models.CharField(max_length=300, blank=True)
    confirmation_email = models.FileField(upload_to="invoices/confirmations/%Y/", blank=True)
    question = models.TextField(blank=True)
    # Finalisation: number, parties and terms as issued.
    issuer = models.CharField(max_length=50, blank=True)
    number = models.CharField(max_length=50, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    number_sequence = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    bill_to = models.TextField(blank=True, help_text="Name and address as issued.")
    bill_to_email = models.EmailField(blank=True)
    pdf = models.FileField(upload_to="invoices/pdf/%Y/", blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    reissue_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissued_as"
    )
    last_run = models.ForeignKey(
        BillingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "organization__name", "-id"]
        constraints = [
            # One live invoice per community and month; voided ones stay beside a re-issue.
            models.UniqueConstraint(
                fields=["organization", "month"],
                condition=~models.Q(state="void"),
                name="one_live_invoice_per_community_month",
            ),
            models.UniqueConstraint(
                fields=["issuer", "number"],
                condition=~models.Q(number=""),
                name="invoice_number_unique_per_issuer",
            ),
            models.CheckConstraint(
                condition=models.Q(number="")
                | ~models.Q(
                    state__in=["draft", "awaiting_confirmation", "questioned", "confirmed"]
                ),
                name="only_final_invoices_have_numbers",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "state"]),
            models.Index(fields=["state", "due_on"]),
        ]

    def __str__(self) -> str:
        label = self.number or f"draft #{self.pk}"
        return f"Invoice {label}: {self.organization.name if self.organization_id else ''} {self.month}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=12, decimal_places=4, default=Decimal(1))
    unit_amount = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    account_code = models.CharField(max_length=20)
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    manual_charge = models.ForeignKey(
        ManualCharge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="A cloud line's itemised statement: services, accounts, shares, credits.",
    )

    class Meta:
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class ConfirmationRequest(models.Model):
    """A signed, single-use, expiring link sent to the community representative."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="confirmation_requests"
    )
    contact = models.ForeignKey(Contact, null=True, on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Confirmation request for {self.invoice} to {self.email}"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    received_on = models.DateField()
    reference = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} on {self.received_on:%Y-%m-%d} for {self.invoice}"


class CreditNote(models.Model):
    """A numbered correction to an issued invoice; never more than what is left to credit."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    issuer = models.CharField(max_length=50)
    number = models.CharField(max_length=50)
    number_year = models.PositiveSmallIntegerField()
    number_sequence = models.PositiveIntegerField()
    issued_on = models.DateField()
    reason = models.TextField()
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    account_code = models.CharField(max_length=20)
    pdf = models.FileField(upload_to="invoices/credit-notes/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="credit_note_number_unique_per_issuer"
            )
        ]

    def __str__(self) -> str:
        return f"Credit note {self.number} for {self.invoice}"


class NumberSequence(models.Model):
    """The last number given per issuer, year and document kind; read and bumped under a lock."""

    issuer = models.CharField(max_length=50)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)  # "invoice" or "credit_note"
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "kind"], name="one_sequence_per_issuer_year_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.kind} {self.year}: {self.last}"
