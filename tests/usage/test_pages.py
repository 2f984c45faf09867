"""The usage pages: hub panel, clusters, pulls and imports from the browser's forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partnerops.core.roles import Role
from partnerops.costs.models import UsageWeight
from partnerops.usage import services
from partnerops.usage.models import Cluster, ExcludedUser, HubUsage
from tests.factories import UserFactory
from tests.usage.conftest import RunningPrometheus
from tests.usage.test_prometheus_pull import make_hub

pytestmark = pytest.mark.django_db


def client_as(role: Role) -> Client:
    client = Client()
    client.force_login(UserFactory(username=f"u-{role.value.lower()}", roles=[role.value]))
    return client


def test_the_hub_page_shows_usage_per_month_with_a_chart() -> None:
    hub = make_hub("ocean")
    services.usage_import_csv(
        actor=None, file_name="u.csv",
        content=b"month,hub,active_users,server_hours\n2026-09,ocean,12,30\n2026-10,ocean,17,41.5\n",
    )  # fmt: skip
    page = client_as(Role.VIEWER).get(reverse("hubs:hub-detail", args=[hub.pk])).content.decode()
    assert "<title>2026-10: 17 active users</title>" in page
    assert "<title>2026-10: 41.50 server-hours</title>" in page
    assert '<td>2026-09</td><td class="num">12</td>' in page


def test_a_hub_without_usage_says_where_it_comes_from() -> None:
    hub = make_hub("ocean")
    page = client_as(Role.VIEWER).get(reverse("hubs:hub-detail", args=[hub.pk])).content.decode()
    assert "No usage pulled or imported for ocean yet" in page


def test_engineering_sets_up_a_cluster_and_its_secret_is_never_shown() -> None:
    client = client_as(Role.ENGINEERING)
    response = client.post(reverse("usage:cluster-create"), {
        "name": "shared-k8s", "prometheus_url": "https://prometheus.example.org", "auth": "bearer",
        "secret": "very-secret-token", "verify_tls": "on", "timeout_seconds": "30",
        "namespace_label": "namespace", "user_label": "annotation_hub_jupyter_org_username",
        "active_users_query": 'max by (namespace, u) (max_over_time(x[{range}]))',
        "server_hours_query": "", "memory_query": "",
    })  # fmt: skip
    cluster = Cluster.objects.get()
    assert response.status_code == 302 and cluster.secret == "very-secret-token"
    for url in (
        reverse("usage:cluster-detail", args=[cluster.pk]),
        reverse("usage:cluster-edit", args=[cluster.pk]),
    ):
        page = client.get(url).content.decode()
        assert "very-secret-token" not in page
    assert (
        "a secret is stored"
        in client.get(reverse("usage:cluster-detail", args=[cluster.pk])).content.decode()
    )
    admin = client_as(Role.ADMINISTRATOR)
    admin_page = admin.get(
        reverse("admin:usage_cluster_change", args=[cluster.pk])
    ).content.decode()
    assert "very-secret-token" not in admin_page


def test_a_query_without_the_month_range_is_refused_on_the_form() -> None:
    response = client_as(Role.ENGINEERING).post(reverse("usage:cluster-create"), {
        "name": "c", "auth": "none", "timeout_seconds": "30", "namespace_label": "namespace",
        "user_label": "u", "active_users_query": "up", "server_hours_query": "", "memory_query": "",
    })  # fmt: skip
    assert response.status_code == 200
    assert "write {range} where its length goes" in response.content.decode()
    assert not Cluster.objects.exists()


def test_pulling_from_the_cluster_page_stores_usage_and_weights(
    prometheus: RunningPrometheus,
) -> None:
    make_hub("ocean")
    make_hub("river")
    cluster = services.cluster_create(actor=None, name="shared-k8s", prometheus_url=prometheus.url)
    client = client_as(Role.OPERATIONS)
    response = client.post(
        reverse("usage:cluster-pull", args=[cluster.pk]), {"month": "2026-10"}, follow=True
    )
    page = response.content.decode()
    assert "2026-10: 7 active users on 2 hubs" in page  # 5 on ocean, 2 on river; no exclusions
    assert "namespaces with users that are no hub: scratch" in page
    # The weights table: ocean 96 GiB-hours of 144, river 48 (support is overhead).
    assert (
        '<td>ocean</td><td><a href="/hubs/' in page
        and '<td class="num">96.0</td><td class="num">66.67%</td>' in page
    )
    assert UsageWeight.objects.filter(cluster="shared-k8s", month="2026-10").count() == 2
    assert HubUsage.objects.filter(month="2026-10").count() == 2


def test_a_failed_pull_is_a_message_not_an_error_page() -> None:
    cluster = services.cluster_create(actor=None, name="down", prometheus_url="http://127.0.0.1:9")
    response = client_as(Role.OPERATIONS).post(
        reverse("usage:cluster-pull", args=[cluster.pk]), {"month": "2026-10"}, follow=True
    )
    assert response.status_code == 200
    assert "cannot reach Prometheus at http://127.0.0.1:9" in response.content.decode()


def test_csv_import_page_reports_the_row_that_is_wrong() -> None:
    make_hub("ocean")
    client = client_as(Role.OPERATIONS)
    upload = SimpleUploadedFile(
        "usage.csv", b"month,hub,active_users\n2026-10,ocean,many\n", "text/csv"
    )
    response = client.post(reverse("usage:import"), {"file": upload})
    assert response.status_code == 200
    assert (
        "usage.csv: row 2, column active_users: &#x27;many&#x27; is not a whole number"
        in response.content.decode()
    )
    empty = client.post(reverse("usage:import"), {})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    upload = SimpleUploadedFile(
        "usage.csv", b"month,hub,active_users\n2026-10,ocean,9\n", "text/csv"
    )
    assert client.post(reverse("usage:import"), {"file": upload}).status_code == 302
    assert HubUsage.objects.get().active_users == 9


def test_exclusions_are_added_and_removed_from_the_pages() -> None:
    cluster = services.cluster_create(actor=None, name="c")
    client = client_as(Role.ENGINEERING)
    client.post(reverse("usage:excluded-add"), {"username": "hub-health", "reason": "check"})
    client.post(reverse("usage:excluded-add"), {"username": "yuvi", "cluster": str(cluster.pk)})
    again = client.post(reverse("usage:excluded-add"), {"username": "HUB-HEALTH"}, follow=True)
    assert "HUB-HEALTH is already excluded on every cluster" in again.content.decode()
    assert set(ExcludedUser.objects.values_list("username", "cluster")) == {
        ("hub-health", None),
        ("yuvi", cluster.pk),
    }
    client.post(
        reverse("usage:excluded-remove", args=[ExcludedUser.objects.get(username="yuvi").pk])
    )
    assert not ExcludedUser.objects.filter(username="yuvi").exists()


def test_usage_prices_on_the_price_book_page(partnerships_client: Any) -> None:
    page = partnerships_client.get(reverse("contracts:tier-list")).content.decode()
    assert "up to 10: USD 10.00 a user" in page and "above: USD 0.00 a user" in page
    from partnerops.contracts.models import UsagePricing

    pricing = UsagePricing.objects.get(code="mau")
    response = partnerships_client.post(
        reverse("contracts:usage-pricing-reprice", args=[pricing.pk]),
        {"effective_from": "2027-01-01", "bands": "10 12.00\n* 3.00"},
    )
    assert response.status_code == 302
    new = UsagePricing.objects.get(code="mau", version=2)
    assert new.bands == [
        {"up_to": 10, "unit_amount": "12.00"},
        {"up_to": None, "unit_amount": "3.00"},
    ]
    assert new.effective_from == dt.date(2027, 1, 1)
    bad = partnerships_client.post(
        reverse("contracts:usage-pricing-reprice", args=[new.pk]),
        {"effective_from": "2028-01-01", "bands": "10 12.00\n5 3.00\n* 0"},
    )
    assert "band 2: up_to 5 is not above the previous band" in bad.content.decode()
