from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from partnerops.contracts.models import Agreement, AgreementKind
from partnerops.crm.forms import DATE
from partnerops.crm.models import Engagement, Organization, OrganizationKind
from partnerops.grants.models import Grant, GrantState, ObligationKind
from partnerops.grants.services import GRANT_FIELDS
from partnerops.playbooks.models import DocumentKind


class GrantForm(forms.ModelForm[Grant]):
    class Meta:
        model = Grant
        fields = [*GRANT_FIELDS, "engagements"]
        widgets = {
            name: DATE
            for name in (
                "found_on",
                "due_on",
                "submitted_on",
                "decision_on",
                "award_start_on",
                "award_end_on",
            )
        } | {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        funder = self.fields["funder"]
        assert isinstance(funder, forms.ModelChoiceField)
        funder.queryset = Organization.objects.filter(kind=OrganizationKind.FUNDER).order_by("name")
        funder.help_text = "An organization of kind funder."
        engagements = self.fields["engagements"]
        assert isinstance(engagements, forms.ModelMultipleChoiceField)
        engagements.queryset = Engagement.objects.select_related("organization").order_by(
            "organization__name"
        )
        engagements.required = False
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = get_user_model().objects.filter(is_active=True).order_by("username")

    def _post_clean(self) -> None:
        # The service validates the whole grant (funder kind, awarded amounts).
        pass


class MoveForm(forms.Form):
    state = forms.ChoiceField(choices=GrantState.choices)
    on = forms.DateField(widget=DATE)
    amount_awarded = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False
    )


class ObligationForm(forms.Form):
    kind = forms.ChoiceField(choices=ObligationKind.choices)
    title = forms.CharField(max_length=300)
    due_on = forms.DateField(widget=DATE)
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class DoneForm(forms.Form):
    on = forms.DateField(widget=DATE)


class SubawardForm(forms.Form):
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.filter(kind=AgreementKind.GRANT_SUBAWARD).select_related(
            "engagement__organization"
        )
    )


class GrantDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (kind.value, kind.label)
            for kind in (
                DocumentKind.GRANT_PROPOSAL,
                DocumentKind.AWARD_LETTER,
                DocumentKind.GRANT_REPORT,
            )
        ]
    )
    title = forms.CharField(max_length=200, help_text="e.g. Proposal, Award letter, Year 1 report.")
    file = forms.FileField()
