"""The team (seed 002): roles with their levels and steps, effective-dated pay scales,
people and their assignments. Delivery capacity and the team's cost are read from
these (``team.capacity``, ``team.pay``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from partnerops.crm.models import currency_validator


class JobRole(models.Model):
    """A role of seed 002: its positions are "<name> L<level>"."""

    name = models.CharField(max_length=120, unique=True)
    key_goal = models.TextField(blank=True)
    responsibilities = models.TextField(blank=True)
    performance_measures = models.TextField(blank=True)
    # The salary rationale: a reference position in a public salary survey.
    reference_position = models.CharField(max_length=200, blank=True)
    salary_survey = models.CharField(max_length=200, blank=True)
    survey_year = models.PositiveSmallIntegerField(null=True, blank=True)
    survey_median = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="The survey's median for our budget band: the base of L1 step 1.",
    )
    comparable_titles = models.JSONField(default=list, blank=True)
    levels = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    steps = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    engineering = models.BooleanField(
        default=False, help_text="Its people's FTE is delivery capacity (they run hubs)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "role"

    def __str__(self) -> str:
        return self.name

    def title(self, level: int) -> str:
        """The position's title, always generated: "<role> L<level>"."""
        return f"{self.name} L{level}"


class PayScale(models.Model):
    """One version of a role's pay: the base of L1 step 1 and the factors, from a date.
    A new scale is a new version; each month is costed at the version in effect then."""

    role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="pay_scales")
    version = models.PositiveIntegerField(default=1)
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    base = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)], help_text="L1 step 1."
    )
    level_factor = models.DecimalField(
        max_digits=6, decimal_places=4, default=Decimal("1.1000"), help_text="Each level: x 1.10."
    )
    step_factor = models.DecimalField(
        max_digits=6, decimal_places=4, default=Decimal("1.0200"), help_text="Each step: x 1.02."
    )
    benefits_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.2500"), help_text="Benefits on base."
    )
    currency = models.CharField(max_length=3, default="USD", validators=[currency_validator])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["role__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["role", "version"], name="pay_scale_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role} pay v{self.version} from {self.effective_from:%Y-%m-%d}"


class Person(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="Their account in PartnerOps, if they have one.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A person in a position (role, level, step) at an FTE, from a day to a day. A
    level or step change ends one assignment and starts the next."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="assignments")
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    step = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    fte = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True, help_text="Last day; blank: ongoing.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["person__name", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="assignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title} from {self.start_on:%Y-%m-%d}"

    @property
    def title(self) -> str:
        return self.role.title(self.level)
