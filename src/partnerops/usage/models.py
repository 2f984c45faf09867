"""Hub usage: monthly active users, server-hours and requested memory per hub and month,
pulled from each cluster's Prometheus or imported from a CSV, with where they came from."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnerops.hubs.models import Hub

# The queries PartnerOps runs by default (docs/usage.md). {range} is the month's length
# (e.g. 2678400s), evaluated at the end of the month. Each answers one series per
# namespace and user, so that excluded users are dropped before anyone is counted.
DEFAULT_ACTIVE_USERS_QUERY = (
    "max by (namespace, annotation_hub_jupyter_org_username) "
    '(max_over_time(kube_pod_annotations{pod=~"jupyter-.*"}[{range}]))'
)
# Looks at each user's server every 5 minutes over the month: hours = steps seen / 12.
DEFAULT_SERVER_HOURS_QUERY = (
    "sum by (namespace, annotation_hub_jupyter_org_username) "
    "(count_over_time((max by (namespace, annotation_hub_jupyter_org_username, pod) "
    '(kube_pod_annotations{pod=~"jupyter-.*"}) > 0)[{range}:5m])) / 12'
)
# Requested memory summed by namespace, integrated over the month: byte-hours.
DEFAULT_MEMORY_QUERY = (
    "sum by (namespace) (sum_over_time((sum by (namespace) "
    '(kube_pod_container_resource_requests{resource="memory"}))[{range}:5m])) / 12'
)


class PrometheusAuth(models.TextChoices):
    NONE = "none", "None"
    BEARER = "bearer", "Bearer token"
    BASIC = "basic", "Basic (user name and password)"


class Cluster(models.Model):
    """A Kubernetes cluster the hubs run on (their ``cluster`` field names it), and the
    Prometheus that counts their users."""

    name = models.CharField(
        max_length=100, unique=True, help_text="As the hubs' cluster field names it."
    )
    prometheus_url = models.URLField(
        blank=True, help_text="e.g. https://prometheus.example.org (the API is under /api/v1/)."
    )
    auth = models.CharField(
        max_length=10, choices=PrometheusAuth.choices, default=PrometheusAuth.NONE
    )
    username = models.CharField(max_length=200, blank=True, help_text="For basic auth.")
    # The token or password: written, never shown again (pages, API, audit trail).
    secret = models.CharField(max_length=500, blank=True)
    verify_tls = models.BooleanField(
        default=True, help_text="Check the server's certificate (leave on)."
    )
    timeout_seconds = models.PositiveSmallIntegerField(default=30)
    namespace_label = models.CharField(max_length=100, default="namespace")
    user_label = models.CharField(max_length=100, default="annotation_hub_jupyter_org_username")
    active_users_query = models.TextField(default=DEFAULT_ACTIVE_USERS_QUERY)
    server_hours_query = models.TextField(
        default=DEFAULT_SERVER_HOURS_QUERY, blank=True, help_text="Blank: not pulled."
    )
    memory_query = models.TextField(
        default=DEFAULT_MEMORY_QUERY,
        blank=True,
        help_text="Requested memory byte-hours per namespace, the weights a shared cluster's "
        "cost is split by. Blank: not pulled.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExcludedUser(models.Model):
    """A user name that never counts (a health check, our staff): on one cluster, or on
    every cluster when the cluster is blank."""

    username = models.CharField(max_length=200)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="excluded_users"
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["username", "cluster"], name="excluded_user_once_per_cluster"
            ),
            models.UniqueConstraint(
                fields=["username"],
                condition=models.Q(cluster__isnull=True),
                name="excluded_user_once_globally",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.cluster or 'every cluster'})"


class UsageSource(models.TextChoices):
    PROMETHEUS = "prometheus", "Prometheus"
    CSV = "csv", "CSV file"


class UsagePull(models.Model):
    """One pull or import of a month: where from, what was asked, what came back."""

    month = models.CharField(max_length=7)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="pulls"
    )
    source = models.CharField(max_length=20, choices=UsageSource.choices)
    # The queries as sent (Prometheus) or the file's name and checksum (CSV).
    queries = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    excluded = models.PositiveIntegerField(default=0, help_text="User names not counted.")
    pulled_at = models.DateTimeField(default=timezone.now)
    pulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partial_month = models.BooleanField(
        default=False, help_text="Pulled before the month ended: a running view."
    )

    class Meta:
        ordering = ["-pulled_at", "-id"]

    def __str__(self) -> str:
        return f"{self.month} {self.cluster or self.file_name} ({self.source})"


class HubUsage(models.Model):
    """A hub's usage in a month. A new pull of the month replaces it, never adds to it."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="usage_months")
    month = models.CharField(max_length=7)
    active_users = models.PositiveIntegerField()
    excluded_users = models.PositiveIntegerField(default=0)
    server_hours = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Decimal text, as the cost weights: 1.2e15 byte-hours stay exact on every database.
    memory_byte_hours = models.CharField(max_length=80, blank=True)
    pull = models.ForeignKey(UsagePull, on_delete=models.PROTECT, related_name="hub_months")

    class Meta:
        ordering = ["hub__name", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "month"], name="one_usage_per_hub_month")
        ]

    def __str__(self) -> str:
        return f"{self.hub} {self.month}: {self.active_users} active users"

    @property
    def memory_gib_hours(self) -> Decimal | None:
        if not self.memory_byte_hours:
            return None
        return (Decimal(self.memory_byte_hours) / 2**30).quantize(Decimal("0.1"))
