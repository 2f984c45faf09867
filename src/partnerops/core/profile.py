"""The organisation's identity: selector and service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from partnerops.core import audit
from partnerops.core.models import OrganisationProfile

PROFILE_FIELDS = (
    "name",
    "partnerships_email",
    "fiscal_sponsor_name",
    "operations_email",
    "scheduling_link",
)


def get_profile() -> OrganisationProfile:
    """The stored profile, created from the environment's defaults on first use."""
    profile, _ = OrganisationProfile.objects.get_or_create(
        id=OrganisationProfile.SINGLETON_ID, defaults=dict(settings.PARTNEROPS_IDENTITY)
    )
    return profile


@transaction.atomic
def profile_update(*, actor: Any, **values: Any) -> OrganisationProfile:
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    profile = get_profile()
    before = audit.stored_snapshot(profile, PROFILE_FIELDS)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    audit.record_update(actor=actor, instance=profile, before=before)
    return profile
