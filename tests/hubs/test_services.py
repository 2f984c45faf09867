"""The Active Hubs table: validation and lifecycle."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from partnerops.core.errors import TransitionNotAllowed
from partnerops.core.roles import Role
from partnerops.hubs import services
from partnerops.hubs.models import Hub, HubState
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_lifecycle_with_dates_and_refused_moves(partnerships_user: Any) -> None:
    hub = services.hub_create(
        actor=partnerships_user,
        name="ocean",
        community=OrganizationFactory(),
        cluster="2i2c-aws-us",
        provider="aws",
        cost_labels={"2i2c:hub-name": "ocean"},
    )
    with pytest.raises(
        TransitionNotAllowed,
        match="from Requested to Running: from Requested it can move to Deploying, Decommissioned",
    ):
        services.hub_transition(actor=partnerships_user, hub=hub, state=HubState.RUNNING)
    services.hub_transition(actor=partnerships_user, hub=hub, state=HubState.DEPLOYING)
    services.hub_transition(actor=partnerships_user, hub=hub, state=HubState.RUNNING)
    services.hub_transition(actor=partnerships_user, hub=hub, state=HubState.DECOMMISSIONED)
    assert hub.deploying_since and hub.running_since and hub.decommissioned_on


def test_a_dedicated_hub_names_its_account_and_labels_are_strings(partnerships_user: Any) -> None:
    community = OrganizationFactory()
    with pytest.raises(ValidationError, match="dedicated hub names the cloud account"):
        services.hub_create(
            actor=partnerships_user,
            name="solo",
            community=community,
            cluster="c",
            provider="gcp",
            tenancy="dedicated",
        )
    with pytest.raises(ValidationError, match="mapping of label to value"):
        services.hub_create(
            actor=partnerships_user,
            name="bad",
            community=community,
            cluster="c",
            provider="gcp",
            cost_labels={"a": 1},
        )
    with pytest.raises(ValidationError, match="Kubernetes namespace"):
        services.hub_create(
            actor=partnerships_user,
            name="Not_Valid",
            community=community,
            cluster="c",
            provider="gcp",
        )


def test_engineering_adds_a_hub_through_the_form() -> None:
    community = OrganizationFactory(name="Cascadia Seismology")
    client = Client()
    client.force_login(UserFactory(username="eli", roles=[Role.ENGINEERING]))
    response = client.post(
        reverse("hubs:hub-create"),
        {
            "name": "cascadia",
            "community": community.pk,
            "cluster": "shared-gke",
            "provider": "gcp",
            "tenancy": "shared",
            "cost_labels": "k8s-namespace=cascadia\ngoog-k8s-cluster-name=shared-gke",
            "cloud_accounts": "",
            "we_pay_cloud_bill": "on",
            "engineering_issues": "https://github.com/example/infra/issues/12",
        },
    )
    assert response.status_code == 302, response.content.decode()
    hub = Hub.objects.get()
    assert hub.cost_labels == {"k8s-namespace": "cascadia", "goog-k8s-cluster-name": "shared-gke"}
    assert hub.engineering_issues == ["https://github.com/example/infra/issues/12"]
    response = client.post(
        reverse("hubs:hub-create"),
        {
            "name": "x",
            "community": community.pk,
            "cluster": "c",
            "provider": "gcp",
            "tenancy": "shared",
            "cost_labels": "novalue",
        },
    )
    assert "is not key=value" in response.content.decode()
