"""Organizations, contacts, engagements, MANIAC-T, milestones and the timeline."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_countries.fields import CountryField

from partnerops.crm.states import Phase, State, Status

currency_validator = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. USD.")


class OrganizationKind(models.TextChoices):
    COMMUNITY = "community", "Community"
    FUNDER = "funder", "Funder"
    CLOUD_VENDOR = "cloud_vendor", "Cloud vendor"
    RESELLER = "reseller", "Reseller"
    FISCAL_SPONSOR = "fiscal_sponsor", "Fiscal sponsor"
    OTHER = "other", "Other"


class Organization(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.COMMUNITY
    )
    website = models.URLField(blank=True)
    country = CountryField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organization_name_unique_ci",
                violation_error_message="An organization with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200, blank=True)
    is_decision_maker = models.BooleanField("decision maker", default=False)
    is_community_representative = models.BooleanField("community representative", default=False)
    is_billing_contact = models.BooleanField("billing contact", default=False)
    is_technical_contact = models.BooleanField("technical contact", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    ROLE_FIELDS = (
        "is_decision_maker",
        "is_community_representative",
        "is_billing_contact",
        "is_technical_contact",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                name="contact_email_unique_per_organization",
                violation_error_message="This organization already has a contact with this email.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def roles(self) -> list[str]:
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in self.ROLE_FIELDS
            if getattr(self, name)
        ]


class ExpectedTier(models.TextChoices):
    EDUCATION = "education", "Education"
    RESEARCH = "research", "Research"
    PARTNERSHIP = "partnership", "Partnership"
    MEMBERSHIP = "membership", "Membership"
    SUPPORT_HOURS = "support_hours", "Support hours"
    OTHER = "other", "Other"


class LeadSource(models.TextChoices):
    WEBSITE = "website", "Website enquiry"
    REFERRAL = "referral", "Referral"
    EVENT = "event", "Conference or event"
    OUTREACH = "outreach", "Our outreach"
    EXISTING_PARTNER = "existing_partner", "Existing partner"
    GRANT = "grant", "Grant or funder"
    OTHER = "other", "Other"


class Engagement(models.Model):
    """One relationship with an organization, moving through the pipeline."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="engagements"
    )
    title = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.LEAD)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE_LEAD)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_engagements",
    )
    source = models.CharField(max_length=20, choices=LeadSource.choices, blank=True)
    first_touch_on = models.DateField(default=timezone.localdate)
    expected_tier = models.CharField(max_length=20, choices=ExpectedTier.choices, blank=True)
    expected_value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Expected annual value.",
    )
    currency = models.CharField(max_length=3, default="USD", validators=[currency_validator])
    probability = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percent."
    )
    follow_up_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    phase_since = models.DateTimeField(default=timezone.now)
    status_since = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["phase", "status"]),
            models.Index(fields=["phase", "-phase_since"]),
            models.Index(fields=["follow_up_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=100),
                name="engagement_probability_percent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.WAITING) | models.Q(follow_up_on__isnull=False),
                name="engagement_waiting_has_follow_up",
            ),
            models.CheckConstraint(
                condition=~models.Q(phase=Phase.CLOSED) | ~models.Q(close_reason=""),
                name="engagement_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.title}"

    @property
    def state(self) -> State:
        return State(Phase(self.phase), Status(self.status))

    @property
    def days_in_phase(self) -> int:
        return (timezone.now() - self.phase_since).days


class Criterion(models.TextChoices):
    """MANIAC-T, in the order the seed lists it."""

    MONEY = "money", "Money"
    AUTHORITY = "authority", "Authority"
    NEED = "need", "Need"
    IMPENDING_EVENT = "impending_event", "Impending event"
    APPLICATION = "application", "Application"
    COMPETITION = "competition", "Competition"
    TIMELINE = "timeline", "Timeline"


CRITERION_QUESTIONS: dict[str, str] = {
    Criterion.MONEY: "Is there a specific amount of money set aside? If they are seeking "
    "funding to pay for this, what are the details?",
    Criterion.AUTHORITY: "Does the contact have the authority to make a buying decision? "
    "Who else is involved in the decision?",
    Criterion.NEED: "What are their clear pain-points with their current infrastructure? "
    "Do they have a real need for change?",
    Criterion.IMPENDING_EVENT: "Do they have an upcoming event that is urgent or pressing?",
    Criterion.APPLICATION: "Is their use-case a good fit for our hubs? Would it need major "
    "changes? Is another organization better suited?",
    Criterion.COMPETITION: "What alternatives are they considering: other organizations, "
    "internal approaches, doing nothing?",
    Criterion.TIMELINE: "What does their buying process look like: a contract, a sub-award?",
}


class Assessment(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    WEAK = "weak", "Weak"
    ADEQUATE = "adequate", "Adequate"
    STRONG = "strong", "Strong"


class Qualification(models.Model):
    """One MANIAC-T criterion of one engagement, as it stands now."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="qualifications"
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    assessment = models.CharField(
        max_length=10, choices=Assessment.choices, default=Assessment.UNKNOWN
    )
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "criterion"], name="qualification_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_assessment_display()}"


class Milestone(models.Model):
    """A dated change of phase or status, with who made it: the sales-cycle raw data."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    # MANIAC-T as it stood when the lead was qualified: {criterion: {assessment, evidence}}.
    qualification = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["engagement", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.describe()}"

    def describe(self) -> str:
        target = f"{Phase(self.to_phase).label} / {Status(self.to_status).label}"
        if not self.from_phase:
            return f"Created as {target}"
        return f"Moved from {Phase(self.from_phase).label} / {Status(self.from_status).label} to {target}"


class EntryKind(models.TextChoices):
    NOTE = "note", "Note"
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    DOCUMENT = "document", "Document"
    MILESTONE = "milestone", "Milestone"


class TimelineEntry(models.Model):
    """The running notes: dated entries of any kind, Markdown bodies."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="timeline_entries"
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.NOTE)
    occurred_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown.")
    milestone = models.OneToOneField(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="timeline_entry"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "timeline entries"
        indexes = [models.Index(fields=["engagement", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_kind_display()}: {self.title}"
