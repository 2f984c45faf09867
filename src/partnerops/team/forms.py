from __future__ import annotations

from typing import Any

from django import forms

from partnerops.crm.forms import DATE
from partnerops.team.models import JobRole, Person
from partnerops.team.services import ROLE_FIELDS


class RoleForm(forms.ModelForm[JobRole]):
    comparable_titles = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One title per line."
    )

    class Meta:
        model = JobRole
        fields = list(ROLE_FIELDS)
        widgets = {
            "key_goal": forms.Textarea(attrs={"rows": 2}),
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
            "performance_measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["comparable_titles"] = "\n".join(self.instance.comparable_titles or [])

    def clean_comparable_titles(self) -> list[str]:
        text = self.cleaned_data.get("comparable_titles") or ""
        return [line.strip() for line in str(text).splitlines() if line.strip()]


class PayScaleForm(forms.Form):
    effective_from = forms.DateField(widget=DATE)
    base = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False,
        help_text="Yearly base of L1 step 1; blank: the role's survey median.",
    )  # fmt: skip
    level_factor = forms.DecimalField(max_digits=6, decimal_places=4, initial="1.1000")
    step_factor = forms.DecimalField(max_digits=6, decimal_places=4, initial="1.0200")
    benefits_rate = forms.DecimalField(
        max_digits=5, decimal_places=4, initial="0.2500", help_text="0.25 is 25% of base."
    )
    currency = forms.CharField(max_length=3, initial="USD")


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["name", "email", "user"]


class AssignmentForm(forms.Form):
    role = forms.ModelChoiceField(queryset=JobRole.objects.order_by("name"))
    level = forms.IntegerField(min_value=1)
    step = forms.IntegerField(min_value=1, initial=1)
    fte = forms.DecimalField(max_digits=4, decimal_places=3, initial="1", label="FTE")
    start_on = forms.DateField(widget=DATE)
    end_on = forms.DateField(widget=DATE, required=False, help_text="Last day; blank: ongoing.")


class AssignmentChangeForm(forms.Form):
    on = forms.DateField(widget=DATE, help_text="The first day of the new position or FTE.")
    level = forms.IntegerField(min_value=1, required=False)
    step = forms.IntegerField(min_value=1, required=False)
    fte = forms.DecimalField(max_digits=4, decimal_places=3, required=False, label="FTE")


class AssignmentEndForm(forms.Form):
    end_on = forms.DateField(widget=DATE, help_text="The last day.")
