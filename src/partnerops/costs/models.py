"""Imported cloud costs: one row per import, and the aggregated, attributed amounts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnerops.crm.models import Organization
from partnerops.hubs.models import Hub


class CostImport(models.Model):
    """One billing export imported: which file (by checksum), which months it replaced."""

    source = models.CharField(
        max_length=100, help_text="Whose bill: an import replaces this source's months."
    )
    file_name = models.CharField(max_length=300)
    checksum = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file.")
    format = models.CharField(max_length=40)
    provider = models.CharField(max_length=10)
    months = models.JSONField(default=list)
    lines = models.PositiveBigIntegerField(default=0)
    usage_checksum = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded = models.BooleanField(
        default=False, help_text="A later import replaced all of its months."
    )
    # What the rules need is kept (CostGroup), so a month is attributed again from the
    # database when the hubs change. Imports from before that keep their lines as read.
    groups_stored = models.BooleanField(default=True)
    label_keys = models.JSONField(
        default=list, help_text="The hub label keys read from the file, in order."
    )

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({', '.join(self.months)})"


class CostLine(models.Model):
    """Month x account x service x hub: the aggregated, attributed cost (never raw lines)."""

    cost_import = models.ForeignKey(CostImport, on_delete=models.CASCADE, related_name="cost_lines")
    source = models.CharField(max_length=100)
    month = models.CharField(max_length=7, help_text="The invoice month, YYYY-MM.")
    currency = models.CharField(max_length=3)
    account = models.CharField(max_length=200)
    service = models.CharField(max_length=200)
    category = models.CharField(max_length=20)
    hub = models.ForeignKey(
        Hub, null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_lines"
    )
    hub_name = models.CharField(max_length=100, blank=True)
    community = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_lines"
    )
    community_name = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=30)
    reason = models.CharField(max_length=300, blank=True)
    # Billionths of the currency unit, as integers: exact on SQLite too, whose
    # decimals are floating point, and exact in SUM on every database.
    amount_nanos = models.BigIntegerField(help_text="Cost after credits, in 1e-9 of the currency.")
    credits_nanos = models.BigIntegerField(default=0)
    lines = models.PositiveBigIntegerField(default=0)
    effective_nanos = models.BigIntegerField(
        null=True, blank=True, help_text="FOCUS EffectiveCost, where the export has it."
    )

    class Meta:
        indexes = [
            models.Index(fields=["month", "currency"]),
            models.Index(fields=["source", "month"]),
            models.Index(fields=["community", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.account} {self.service} {self.hub_name or 'unattributed'}: {self.amount}"

    @property
    def amount(self) -> Decimal:
        return from_nanos(self.amount_nanos)

    @property
    def credits(self) -> Decimal:
        return from_nanos(self.credits_nanos)


class CostGroup(models.Model):
    """What the attribution rules read from a file, aggregated: month x currency x
    account x service x charge x hub label x cluster label. Kept so that a month is
    attributed again from the database, without the files, whenever the hubs change."""

    cost_import = models.ForeignKey(
        CostImport, on_delete=models.CASCADE, related_name="cost_groups"
    )
    source = models.CharField(max_length=100)
    month = models.CharField(max_length=7)
    currency = models.CharField(max_length=3)
    account = models.CharField(max_length=200)
    service = models.CharField(max_length=200)
    category = models.CharField(max_length=20)
    hub_label = models.CharField(max_length=300, blank=True)
    cluster_label = models.CharField(max_length=300, blank=True)
    gross_nanos = models.BigIntegerField()
    credits_nanos = models.BigIntegerField(default=0)
    lines = models.PositiveBigIntegerField(default=0)
    effective_nanos = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["month", "source"])]

    def __str__(self) -> str:
        return f"{self.month} {self.account} {self.service} {self.hub_label or '-'}"


class UsageWeight(models.Model):
    """A namespace's usage of a shared cluster in a month (e.g. memory byte-hours): the
    weights its shared cost is split by. Kept for re-attribution, like the groups."""

    month = models.CharField(max_length=7)
    cluster = models.CharField(max_length=300)
    namespace = models.CharField(max_length=300)
    # Decimal text: weights such as 1.23e15 byte-hours stay exact on every database.
    weight = models.CharField(max_length=80)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the usage file.")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "cluster", "namespace"], name="one_usage_weight_per_namespace"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.cluster} {self.namespace}: {self.weight}"


class CostMonth(models.Model):
    """When a month's lines were attributed, and against which rules: a different
    fingerprint (a hub added, renamed, re-labelled, moved) attributes it again."""

    month = models.CharField(max_length=7, unique=True)
    fingerprint = models.CharField(max_length=64)
    attributed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.month


NANO = Decimal("1e-9")


# Both databases store a signed 64-bit integer: in billionths, amounts up to about
# 9.2 billion in either direction. A larger one cannot be stored exactly, so it is refused.
MAX_NANOS = 2**63 - 1
MAX_AMOUNT = Decimal(MAX_NANOS).scaleb(-9)


def fits(amount: Decimal) -> bool:
    return abs(amount) <= MAX_AMOUNT


def to_nanos(amount: Decimal) -> int:
    """An amount with at most nine decimals as an exact integer count of billionths."""
    scaled = int(amount.quantize(NANO).scaleb(9))
    if abs(scaled) > MAX_NANOS:
        raise ValueError(f"{amount} is beyond the largest amount stored exactly ({MAX_AMOUNT:,}).")
    return scaled


def from_nanos(nanos: int) -> Decimal:
    return Decimal(nanos).scaleb(-9).quantize(NANO)
