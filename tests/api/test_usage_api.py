"""API v1 for hub usage: clusters, pulls against a real Prometheus, CSV imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerops.core.roles import Role
from partnerops.usage.models import Cluster, HubUsage
from tests.api.client import Api
from tests.usage.conftest import RunningPrometheus
from tests.usage.conftest import prometheus as prometheus  # the fixture: a real server
from tests.usage.test_prometheus_pull import make_hub

pytestmark = pytest.mark.django_db


def test_a_cluster_is_created_and_read_without_its_secret(prometheus: RunningPrometheus) -> None:
    engineering = Api(Role.ENGINEERING)
    response = engineering.call("POST", "/clusters", {
        "name": "shared-k8s", "prometheus_url": prometheus.url, "auth": "bearer", "secret": "tok-123",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret_set"] is True and "tok-123" not in response.content.decode()
    assert "secret" not in body
    listed = Api(Role.VIEWER).call("GET", "/clusters")
    assert "tok-123" not in listed.content.decode()
    patched = engineering.call("PATCH", f"/clusters/{body['id']}", {"auth": "none", "secret": ""})
    assert patched.status_code == 200 and Cluster.objects.get().secret == "tok-123"


def test_pull_through_the_api_and_read_the_usage(prometheus: RunningPrometheus) -> None:
    make_hub("ocean")
    make_hub("river")
    cluster = (
        Api(Role.ENGINEERING)
        .call("POST", "/clusters", {"name": "shared-k8s", "prometheus_url": prometheus.url})
        .json()
    )
    operations = Api(Role.OPERATIONS)
    pulled = operations.call("POST", f"/clusters/{cluster['id']}/pull", {"month": "2026-10"})
    assert pulled.status_code == 200, pulled.content
    body = pulled.json()
    assert body["active_users"] == 7 and body["unknown_namespaces"] == ["scratch"]
    usage = operations.call("GET", "/usage?month=2026-10").json()
    assert {(row["hub"], row["active_users"]) for row in usage} == {("ocean", 5), ("river", 2)}
    weights = operations.call("GET", f"/clusters/{cluster['id']}/weights?month=2026-10").json()
    assert {row["namespace"]: row["share_percent"] for row in weights} == {
        "ocean": "66.67", "river": "33.33",
    }  # fmt: skip
    assert (
        Api(Role.VIEWER)
        .call("POST", f"/clusters/{cluster['id']}/pull", {"month": "2026-10"})
        .status_code
        == 403
    )


def test_a_prometheus_that_is_down_answers_502_problem_json() -> None:
    cluster = (
        Api(Role.ENGINEERING)
        .call("POST", "/clusters", {"name": "down", "prometheus_url": "http://127.0.0.1:9"})
        .json()
    )
    response = Api(Role.OPERATIONS).call(
        "POST", f"/clusters/{cluster['id']}/pull", {"month": "2026-10"}
    )
    assert response.status_code == 502
    assert response["Content-Type"].startswith("application/problem+json")
    assert (
        "cluster down" in response.json()["detail"]
        and "cannot reach Prometheus" in response.json()["detail"]
    )


def test_a_usage_csv_is_imported_as_multipart_and_a_bad_row_is_named() -> None:
    make_hub("ocean")
    api = Api(Role.OPERATIONS)

    def upload(content: bytes) -> object:
        return api.client.post(
            "/api/v1/usage/imports", {"file": SimpleUploadedFile("u.csv", content, "text/csv")},
            HTTP_AUTHORIZATION=f"Bearer {api.token}",
        )  # fmt: skip

    bad = upload(b"month,hub,active_users\n2026-10,nowhere,3\n")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "u.csv: row 2, column hub: no hub is named 'nowhere'" in bad.json()["detail"]  # type: ignore[attr-defined]
    good = upload(b"month,hub,active_users\n2026-10,ocean,3\n")
    assert good.status_code == 201  # type: ignore[attr-defined]
    assert HubUsage.objects.get().active_users == 3


def test_exclusions_through_the_api() -> None:
    api = Api(Role.ENGINEERING)
    added = api.call("POST", "/usage/excluded-users", {"username": "hub-health", "reason": "check"})
    assert added.status_code == 201
    twice = api.call("POST", "/usage/excluded-users", {"username": "hub-health"})
    assert (
        twice.status_code == 422 and "already excluded on every cluster" in twice.content.decode()
    )
    assert api.call("DELETE", f"/usage/excluded-users/{added.json()['id']}").status_code == 204
    assert api.call("GET", "/usage/excluded-users").json() == []


def test_usage_prices_and_an_agreements_override_through_the_api() -> None:
    api = Api(Role.PARTNERSHIPS)
    listed = api.call("GET", "/tiers/usage-prices").json()
    assert listed[0]["code"] == "mau" and listed[0]["bands"][0] == {
        "up_to": 10,
        "unit_amount": "10.00",
    }
    created = api.call("POST", "/tiers/usage-prices", {
        "code": "flat", "name": "Flat usage", "effective_from": "2026-01-01",
        "bands": [{"up_to": None, "unit_amount": "2.00"}],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    bad = api.call("POST", f"/tiers/usage-prices/{created.json()['id']}/reprice", {
        "effective_from": "2027-01-01", "bands": [{"up_to": 10, "unit_amount": "2.00"}],
    })  # fmt: skip
    assert bad.status_code == 422 and "The last band is open-ended" in bad.content.decode()
    good = api.call("POST", f"/tiers/usage-prices/{created.json()['id']}/reprice", {
        "effective_from": "2027-01-01", "bands": [{"up_to": None, "unit_amount": "2.50"}],
    })  # fmt: skip
    assert good.status_code == 201 and good.json()["version"] == 2
