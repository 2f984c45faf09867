"""Forms for the pipeline pages. They validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from partnerops.crm.models import (
    CRITERION_QUESTIONS,
    Assessment,
    Contact,
    Criterion,
    Engagement,
    EntryKind,
    Organization,
)
from partnerops.crm.states import State

# HTML date inputs speak ISO 8601 whatever the locale.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganizationForm(forms.ModelForm[Organization]):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "kind", "website", "country", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "title", *Contact.ROLE_FIELDS]


def _owner_field() -> forms.ModelChoiceField[Any]:
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
    return forms.ModelChoiceField(queryset=users, required=False)


class EngagementForm(forms.ModelForm[Engagement]):
    class Meta:
        model = Engagement
        fields = [
            "organization",
            "title",
            "owner",
            "source",
            "first_touch_on",
            "expected_tier",
            "expected_value",
            "currency",
            "probability",
            "follow_up_on",
        ]
        widgets = {"first_touch_on": DATE, "follow_up_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()
        self.fields["title"].required = False
        self.fields["title"].help_text = "Defaults to 'Managed hub service'."
        if self.instance.pk:
            # The organization of an existing engagement does not change.
            del self.fields["organization"]


class MoveForm(forms.Form):
    target = forms.ChoiceField(label="Move to")
    occurred_at = forms.DateTimeField(
        required=False,
        widget=DATETIME,
        label="When",
        help_text="Leave empty for now; set a past date when entering history late.",
    )
    follow_up_on = forms.DateField(required=False, widget=DATE, help_text="Needed for Waiting.")
    close_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Needed for Closed."
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, targets: list[State], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ChoiceField)
        target_field.choices = [(f"{t.phase}:{t.status}", str(t)) for t in targets]

    def target_state(self) -> tuple[str, str]:
        phase, status = self.cleaned_data["target"].split(":")
        return phase, status


class QualificationForm(forms.Form):
    """All seven MANIAC-T criteria side by side."""

    def __init__(self, *args: Any, current: dict[str, dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            stored = current[criterion.value]
            self.fields[f"{criterion.value}_assessment"] = forms.ChoiceField(
                label=criterion.label,
                choices=Assessment.choices,
                initial=stored["assessment"],
            )
            self.fields[f"{criterion.value}_evidence"] = forms.CharField(
                label="Evidence",
                required=False,
                initial=stored["evidence"],
                help_text=CRITERION_QUESTIONS[criterion.value],
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (
                criterion.label,
                self[f"{criterion.value}_assessment"],
                self[f"{criterion.value}_evidence"],
            )
            for criterion in Criterion
        ]


class TimelineEntryForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (value, label) for value, label in EntryKind.choices if value != EntryKind.MILESTONE
        ]
    )
    title = forms.CharField(max_length=300)
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown is supported."
    )
    occurred_at = forms.DateTimeField(required=False, widget=DATETIME, label="When")
