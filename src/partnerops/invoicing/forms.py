"""Forms for the invoicing pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from partnerops.crm.forms import DATE
from partnerops.invoicing.models import LineKind


class MonthForm(forms.Form):
    month = forms.RegexField(
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="YYYY-MM",
        error_messages={"invalid": "Write the month as YYYY-MM, e.g. 2026-10."},
    )


class ManualChargeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (k.value, k.label)
            for k in (
                LineKind.SUPPORT_HOURS,
                LineKind.USAGE_FEE,
                LineKind.ADJUSTMENT,
                LineKind.MEMBERSHIP_FEE,
            )
        ]
    )
    description = forms.CharField(max_length=300)
    quantity = forms.DecimalField(max_digits=12, decimal_places=4, initial=Decimal(1))
    unit_amount = forms.DecimalField(
        max_digits=14, decimal_places=2, help_text="Negative for a discount."
    )
    account_code = forms.CharField(
        max_length=20, required=False, help_text="Blank: the kind's usual code."
    )


class EmailConfirmationForm(forms.Form):
    email_file = forms.FileField(
        label="The community's email (.eml)",
        help_text="Saved from your mail program; kept with the invoice.",
    )

    sender_confirmed = forms.BooleanField(
        required=False,
        label="Record it even if the sender is not a contact on record",
        help_text="PartnerOps checks the sender against the community's representative and billing contact.",
    )


class PaymentForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    received_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(max_length=200, required=False)


class CreditNoteForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class VoidForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmationAnswerForm(forms.Form):
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Your question (only if something is not as expected)",
    )


class ExportForm(forms.Form):
    layout = forms.ChoiceField(
        choices=[("xero", "Xero invoice import"), ("generic", "Generic CSV")]
    )
    start = forms.DateField(widget=DATE, label="Issued from")
    end = forms.DateField(widget=DATE, label="Issued until")
