"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from partnerops.core.errors import DomainError
from partnerops.core.models import OrganisationProfile


def add_service_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form, next to the field it names when it names one."""
    if isinstance(error, DomainError):
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field_name, messages in error.message_dict.items():
            target = (
                field_name if field_name in form.fields and field_name != NON_FIELD_ERRORS else None
            )
            for message in messages:
                form.add_error(target, message)
        return
    for message in error.messages:
        form.add_error(None, message)


class ProfileForm(forms.ModelForm[OrganisationProfile]):
    scheduling_link = forms.URLField(assume_scheme="https", help_text="Where leads book a meeting.")

    class Meta:
        model = OrganisationProfile
        fields = [
            "name",
            "partnerships_email",
            "fiscal_sponsor_name",
            "operations_email",
            "scheduling_link",
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'nightly import'."
    )
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: the last day it works. Empty: until you revoke it.",
    )
