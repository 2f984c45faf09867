"""The Active Hubs table: what each agreement pays for, and how to find its cloud costs."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from partnerops.contracts.models import Agreement
from partnerops.crm.models import Organization


class CloudProvider(models.TextChoices):
    GCP = "gcp", "Google Cloud"
    AWS = "aws", "AWS"
    AZURE = "azure", "Azure"
    OTHER = "other", "Other"


class Tenancy(models.TextChoices):
    SHARED = "shared", "Shared cluster"
    DEDICATED = "dedicated", "Dedicated cluster"


class HubState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    DEPLOYING = "deploying", "Deploying"
    RUNNING = "running", "Running"
    DECOMMISSIONED = "decommissioned", "Decommissioned"


class Hub(models.Model):
    name = models.CharField(
        max_length=63,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
                "Lower-case letters, digits and hyphens, as in a Kubernetes namespace.",
            )
        ],
        help_text="The hub's name, usually its Kubernetes namespace.",
    )
    url = models.URLField(blank=True)
    community = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="hubs")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="hubs"
    )
    cluster = models.CharField(
        max_length=100, help_text="Cluster name, e.g. the goog-k8s-cluster-name label."
    )
    provider = models.CharField(max_length=10, choices=CloudProvider.choices)
    tenancy = models.CharField(max_length=10, choices=Tenancy.choices, default=Tenancy.SHARED)
    cloud_accounts = models.JSONField(
        default=list,
        blank=True,
        help_text="GCP project ids, AWS account ids or Azure subscription ids.",
    )
    cost_labels = models.JSONField(
        default=dict,
        blank=True,
        help_text='Tags or labels marking its resources, e.g. {"2i2c:hub-name": "ocean"}.',
    )
    # Billing exports keep the labels a hub's resources carried: after a rename the
    # old name still marks this hub's costs (issue 15), so a rename moves no money.
    former_names = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Names the hub had before: their cost labels are still this hub's.",
    )
    we_pay_cloud_bill = models.BooleanField(
        default=True, help_text="We pay the cloud bill and recover it."
    )
    state = models.CharField(max_length=20, choices=HubState.choices, default=HubState.REQUESTED)
    requested_on = models.DateField(default=timezone.localdate)
    service_start_on = models.DateField(
        null=True, blank=True, help_text="When service to the community begins."
    )
    deploying_since = models.DateField(null=True, blank=True)
    running_since = models.DateField(null=True, blank=True)
    decommissioned_on = models.DateField(null=True, blank=True)
    engineering_issues = models.JSONField(
        default=list, blank=True, help_text="Links to the engineering issues."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["state", "service_start_on"])]

    def __str__(self) -> str:
        return self.name
