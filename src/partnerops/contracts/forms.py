from __future__ import annotations

from typing import Any

from django import forms

from partnerops.contracts.models import (
    Addendum,
    Agreement,
    AgreementState,
    Deliverable,
    EndReason,
    FormalDocumentKind,
    FormalDocumentVersion,
    Proration,
    ServiceTier,
)
from partnerops.contracts.services import AGREEMENT_TERMS
from partnerops.crm.forms import DATE
from partnerops.crm.models import Contact, Engagement


class TierForm(forms.ModelForm[ServiceTier]):
    class Meta:
        model = ServiceTier
        fields = [
            "code",
            "name",
            "kind",
            "effective_from",
            "monthly_fee",
            "annual_fee",
            "hourly_rate",
            "currency",
            "cloud_cost_pass_through",
            "dedicated_cluster_markup_percent",
            "cloud_markup_on_dedicated",
            "engineer_fte_per_hub",
            "hubs_per_engineer",
            "notes",
        ]
        widgets = {"effective_from": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class RepriceForm(forms.Form):
    effective_from = forms.DateField(widget=DATE)
    monthly_fee = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    annual_fee = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    hourly_rate = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)


class AgreementForm(forms.ModelForm[Agreement]):
    class Meta:
        model = Agreement
        fields = list(AGREEMENT_TERMS)  # the terms the services accept, in one place
        widgets = {"start_on": DATE, "end_on": DATE}

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact_field = self.fields["billing_contact"]
        assert isinstance(contact_field, forms.ModelChoiceField)
        contact_field.queryset = Contact.objects.filter(organization=engagement.organization)
        self.fields["price"].required = False
        # Older clients and scripts post no proration: the default policy applies.
        self.fields["proration"].required = False
        self.fields["price"].help_text = "Leave empty for the tier's price."
        self.fields["end_on"].required = False
        self.fields["end_on"].help_text = "Leave empty for start + term."
        self.instance.engagement = engagement

    def _post_clean(self) -> None:
        # The service fills the price and end date and validates the whole agreement.
        pass

    def clean_proration(self) -> str:
        return self.cleaned_data.get("proration") or Proration.BY_DAY


class TransitionForm(forms.Form):
    state = forms.ChoiceField(choices=AgreementState.choices)
    on = forms.DateField(required=False, widget=DATE)
    end_reason = forms.ChoiceField(choices=[("", "—"), *EndReason.choices], required=False)
    executed_copy = forms.FileField(required=False)


class ExtendForm(forms.Form):
    steps = forms.IntegerField(min_value=1, max_value=26, initial=1)
    reason = forms.CharField(required=False)


class ConfirmPriceForm(forms.Form):
    confirmed_on = forms.DateField(widget=DATE)
    confirmation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Where it is: sender, date, subject."
    )


class AddendumForm(forms.ModelForm[Addendum]):
    class Meta:
        model = Addendum
        fields = ["kind", "title", "text"]


class DeliverableForm(forms.ModelForm[Deliverable]):
    class Meta:
        model = Deliverable
        fields = ["title", "due_on", "status", "delivered_on"]
        widgets = {"due_on": DATE, "delivered_on": DATE}


class FormalDocumentForm(forms.Form):
    document = forms.ChoiceField(choices=FormalDocumentKind.choices)
    version = forms.CharField(max_length=30)
    effective_on = forms.DateField(widget=DATE)
    file = forms.FileField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementDocumentsForm(forms.Form):
    versions = forms.ModelMultipleChoiceField(
        queryset=FormalDocumentVersion.objects.order_by("document", "-effective_on"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Formal documents that apply",
    )


class CheckInScheduleForm(forms.Form):
    interval_months = forms.IntegerField(min_value=1, max_value=24, initial=3)
    next_due_on = forms.DateField(widget=DATE)


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        widget=forms.RadioSelect,
        label="How likely are you to recommend our service to a colleague? (0 = not at all, 10 = extremely)",
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Anything we should know?"
    )
