from __future__ import annotations

from typing import Any

from django import forms

from partnerops.contracts.models import Agreement
from partnerops.crm.forms import DATE
from partnerops.hubs.models import Hub
from partnerops.hubs.services import HUB_FIELDS


class HubForm(forms.ModelForm[Hub]):
    url = forms.URLField(required=False, assume_scheme="https")
    cloud_accounts = forms.CharField(
        required=False,
        help_text="One account, project or subscription id per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cost_labels = forms.CharField(
        required=False,
        help_text="One label per line as key=value, e.g. 2i2c:hub-name=ocean or k8s-namespace=ocean.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    engineering_issues = forms.CharField(
        required=False,
        help_text="Links to the engineering issues, one per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Hub
        fields = list(HUB_FIELDS)  # the fields the services accept, in one place
        widgets = {"service_start_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement_field = self.fields["agreement"]
        assert isinstance(agreement_field, forms.ModelChoiceField)
        agreement_field.queryset = Agreement.objects.select_related(
            "engagement__organization", "tier"
        )
        if self.instance.pk:
            self.initial["cloud_accounts"] = "\n".join(self.instance.cloud_accounts)
            self.initial["cost_labels"] = "\n".join(
                f"{k}={v}" for k, v in self.instance.cost_labels.items()
            )
            self.initial["engineering_issues"] = "\n".join(self.instance.engineering_issues)

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_cloud_accounts(self) -> list[str]:
        return self._lines(self.cleaned_data["cloud_accounts"])

    def clean_engineering_issues(self) -> list[str]:
        return self._lines(self.cleaned_data["engineering_issues"])

    def clean_cost_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for number, line in enumerate(self._lines(self.cleaned_data["cost_labels"]), start=1):
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise forms.ValidationError(f"Line {number} ({line!r}) is not key=value.")
            labels[key.strip()] = value.strip()
        return labels

    def _post_clean(self) -> None:
        # The service validates the hub as a whole.
        pass
