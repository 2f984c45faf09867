"""The Django admin writes through the services (issue 15): each service's refusals hold
there too, whichever door an administrator uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client, RequestFactory

from partnerops.contracts.models import Agreement, AgreementState, ServiceTier
from partnerops.core.models import AuditEvent
from partnerops.crm.models import Contact, Engagement, Status
from partnerops.hubs.models import Hub
from tests.invoicing.conftest import make_community

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(user: Any, obj: models.Model, **changes: Any) -> dict[str, Any]:
    """What the admin's change form would post for ``obj``, with ``changes``."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form.initial.get(name))
        if value is None or value is False:
            continue
        data[name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _change(client: Client, user: Any, obj: models.Model, **changes: Any) -> str:
    meta = obj._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"
    response = client.post(url, _form_data(user, obj, **changes))
    assert response.status_code in (200, 302), response.status_code
    return response.content.decode() if response.status_code == 200 else ""


@pytest.fixture
def agreement(partnerships_user: Any) -> Agreement:
    return make_community(partnerships_user, "Coastal Ocean", hub="ocean")


def test_an_executed_agreements_price_tier_and_dates_do_not_change(
    agreement: Agreement, admin_user_: Any
) -> None:
    assert agreement.state == AgreementState.ACTIVE
    other = ServiceTier.objects.exclude(pk=agreement.tier_id).first()
    assert other is not None
    before = (agreement.price, agreement.tier_id, agreement.start_on, agreement.end_on)
    _change(_client(admin_user_), admin_user_, agreement, price="1.00", tier=other.pk,
            start_on="2020-01-01", end_on="2030-01-01")  # fmt: skip
    agreement.refresh_from_db()
    assert (agreement.price, agreement.tier_id, agreement.start_on, agreement.end_on) == before


def test_a_draft_agreement_is_edited_through_the_service(
    partnerships_user: Any, admin_user_: Any
) -> None:
    agreement = make_community(partnerships_user, "Coastal Ocean")
    Agreement.objects.filter(pk=agreement.pk).update(state=AgreementState.DRAFT)
    agreement.refresh_from_db()
    stranger = make_community(partnerships_user, "Prairie College").billing_contact
    page = _change(_client(admin_user_), admin_user_, agreement, billing_contact=stranger.pk)
    assert "The billing contact must belong to the partner organization." in page
    agreement.refresh_from_db()
    assert agreement.billing_contact_id != stranger.pk
    _change(_client(admin_user_), admin_user_, agreement, price="1234.00")
    agreement.refresh_from_db()
    assert agreement.price == Decimal("1234.00")
    assert AuditEvent.objects.filter(object_id=str(agreement.pk), action="update").exists()


def test_a_hub_renamed_in_the_admin_keeps_its_former_name(
    agreement: Agreement, admin_user_: Any
) -> None:
    hub = Hub.objects.get(name="ocean")
    _change(_client(admin_user_), admin_user_, hub, name="ocean-research")
    hub.refresh_from_db()
    assert (hub.name, hub.former_names) == ("ocean-research", ["ocean"])


def test_the_hub_services_refusals_hold_in_the_admin(
    agreement: Agreement, admin_user_: Any, partnerships_user: Any
) -> None:
    hub = Hub.objects.get(name="ocean")
    page = _change(_client(admin_user_), admin_user_, hub, tenancy="dedicated", cloud_accounts="[]")
    assert "A dedicated hub names the cloud account or project it owns." in page
    other = make_community(partnerships_user, "Prairie College")
    page = _change(_client(admin_user_), admin_user_, hub, agreement=other.pk)
    assert "The agreement must be with the hub&#x27;s community." in page
    hub.refresh_from_db()
    assert (hub.tenancy, hub.agreement_id) == ("shared", agreement.pk)


def test_a_contacts_duplicate_email_is_refused_in_the_admin(
    agreement: Agreement, admin_user_: Any
) -> None:
    organization = agreement.engagement.organization
    first = organization.contacts.get()
    client = _client(admin_user_)
    response = client.post(
        "/admin/crm/contact/add/",
        {"organization": organization.pk, "name": "Twin", "email": first.email.upper()},
    )
    assert response.status_code == 200
    assert "already has a contact with" in response.content.decode()
    assert organization.contacts.count() == 1
    second = Contact.objects.create(organization=organization, name="Other", email="o@example.org")
    page = _change(client, admin_user_, second, email=first.email)
    assert "already has a contact with" in page
    second.refresh_from_db()
    assert second.email == "o@example.org"


def test_an_engagement_waiting_needs_a_follow_up_in_the_admin_too(
    agreement: Agreement, admin_user_: Any
) -> None:
    engagement = agreement.engagement
    Engagement.objects.filter(pk=engagement.pk).update(
        status=Status.WAITING, follow_up_on=dt.date(2027, 1, 1)
    )
    engagement.refresh_from_db()
    page = _change(_client(admin_user_), admin_user_, engagement, follow_up_on="")
    assert "A Waiting engagement needs a follow-up date." in page
    engagement.refresh_from_db()
    assert engagement.follow_up_on == dt.date(2027, 1, 1)
    # Phase and status are not the admin's to change.
    _change(_client(admin_user_), admin_user_, engagement, phase="closed", status="active_lead")
    engagement.refresh_from_db()
    assert engagement.status == Status.WAITING


def test_the_price_book_is_not_edited_in_the_admin(admin_user_: Any, agreement: Agreement) -> None:
    tier = agreement.tier
    response = _client(admin_user_).post(
        f"/admin/contracts/servicetier/{tier.pk}/change/", {"monthly_fee": "1.00"}
    )
    assert response.status_code == 403
    tier.refresh_from_db()
    assert tier.monthly_fee != Decimal("1.00")
