from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
from partnerops.contracts.usage_pricing import parse_bands
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
            "usage_pricing_code",
            "notes",
        ]
        widgets = {"effective_from": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"usage_pricing_code": "Usage price"}


class BandsField(forms.CharField):
    """Usage bands as lines of "<last user> <price per user>", the last "* <price>"."""

    widget = forms.Textarea(attrs={"rows": 5})
    default_help_text = (
        'One band per line: the last user it prices and the price per user, e.g. "10 10.00"; '
        'the last line prices every user above and starts with *, e.g. "* 0.00".'
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        bands = []
        for number, line in enumerate(str(text).splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not (parts[0] == "*" or parts[0].isdigit()):
                raise ValidationError(
                    f'Line {number}: write "<last user> <price per user>" or "* <price>", not {line.strip()!r}.'
                )
            bands.append(
                {"up_to": None if parts[0] == "*" else int(parts[0]), "unit_amount": parts[1]}
            )
        try:
            parse_bands(bands)
        except ValidationError as error:
            raise ValidationError(error.message_dict["bands"]) from None
        return bands


def bands_text(bands: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{'*' if band['up_to'] is None else band['up_to']} {band['unit_amount']}" for band in bands
    )


class UsagePricingForm(forms.Form):
    code = forms.SlugField(max_length=50, help_text="Stable name across versions; tiers name it.")
    name = forms.CharField(max_length=100)
    currency = forms.CharField(max_length=3, initial="USD")
    effective_from = forms.DateField(widget=DATE)
    bands = BandsField()
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UsageRepriceForm(forms.Form):
    effective_from = forms.DateField(widget=DATE)
    bands = BandsField()


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
