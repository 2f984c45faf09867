from __future__ import annotations

from typing import Any

from django import forms

from partnerops.usage.models import Cluster
from partnerops.usage.services import CLUSTER_FIELDS


class ClusterForm(forms.ModelForm[Cluster]):
    prometheus_url = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="e.g. https://prometheus.example.org; blank for a cluster without one (import a CSV).",
    )
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="The bearer token or the password. Never shown again; leave blank to keep the stored one.",
    )

    class Meta:
        model = Cluster
        fields = list(CLUSTER_FIELDS)
        widgets = {
            "active_users_query": forms.Textarea(attrs={"rows": 3}),
            "server_hours_query": forms.Textarea(attrs={"rows": 3}),
            "memory_query": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = "A secret is stored. " + str(
                self.fields["secret"].help_text
            )


class PullForm(forms.Form):
    month = forms.RegexField(
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="YYYY-MM; the current month gives a running view.",
        error_messages={"invalid": "Write the month as YYYY-MM, e.g. 2026-10."},
    )


class UsageCsvForm(forms.Form):
    file = forms.FileField(help_text="CSV of month,hub,active_users[,server_hours].")


class ExcludedUserForm(forms.Form):
    username = forms.CharField(max_length=200)
    reason = forms.CharField(max_length=200, required=False)
