"""Pulling a month from a real Prometheus (tests/usage/conftest.py serves one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from partnerops.core.models import AuditEvent
from partnerops.costs.models import UsageWeight
from partnerops.hubs import services as hubs
from partnerops.hubs.models import Hub
from partnerops.usage import services
from partnerops.usage.models import Cluster, HubUsage, UsagePull
from partnerops.usage.services import PrometheusUnavailable
from tests.factories import OrganizationFactory
from tests.usage.conftest import RunningPrometheus, at, server, start_prometheus

pytestmark = pytest.mark.django_db
NOV_1 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
GIB = 2**30


def make_hub(name: str, cluster: str = "shared-k8s", **values: Any) -> Any:
    hub = hubs.hub_create(
        actor=None, name=name, community=OrganizationFactory(), cluster=cluster,
        provider="gcp", service_start_on=dt.date(2026, 1, 1), **values,
    )  # fmt: skip
    Hub.objects.filter(pk=hub.pk).update(requested_on=dt.date(2025, 12, 1))
    return hub


@pytest.fixture
def cluster(prometheus: RunningPrometheus) -> Cluster:
    make_hub("ocean")
    make_hub("river")
    make_hub("lake", cluster="another-cluster")
    cluster = services.cluster_create(actor=None, name="shared-k8s", prometheus_url=prometheus.url)
    services.excluded_user_add(
        actor=None, username="deployment-service-check", reason="health check"
    )
    services.excluded_user_add(actor=None, username="yuvi", cluster=cluster, reason="staff")
    return cluster


def figures() -> dict[str, tuple[int, int, Decimal | None, str]]:
    return {
        row.hub.name: (
            row.active_users,
            row.excluded_users,
            row.server_hours,
            row.memory_byte_hours,
        )
        for row in HubUsage.objects.filter(month="2026-10").select_related("hub")
    }


def test_active_users_server_hours_and_memory_per_hub(cluster: Cluster) -> None:
    result = services.usage_pull(
        actor=None, cluster=cluster, month="2026-10", now=NOV_1 + dt.timedelta(days=1)
    )
    # ocean: alice, bob, dave (the health check and the staff member do not count);
    # 10 + 2 + 0.5 server-hours; 2 GiB for 48 hours. river: carol and its own alice.
    assert figures() == {
        "ocean": (3, 2, Decimal("12.50"), str(2 * GIB * 48)),
        "river": (2, 0, Decimal("6.00"), str(GIB * 48)),
    }
    assert result.excluded == 2
    assert result.unknown_namespaces == ["scratch"]
    assert not result.partial_month
    pull = UsagePull.objects.get()
    assert pull.source == "prometheus" and pull.cluster == cluster and pull.excluded == 2
    assert 'kube_pod_annotations{pod=~"jupyter-.*"}[2678400s]' in pull.queries["active_users"]
    assert AuditEvent.objects.filter(action="usage_pulled", object_id=str(cluster.pk)).count() == 1


def test_memory_byte_hours_become_the_cost_weights_of_the_cluster(cluster: Cluster) -> None:
    UsageWeight.objects.create(month="2026-10", cluster="shared-k8s", namespace="ocean", weight="1")
    services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    weights = dict(
        UsageWeight.objects.filter(month="2026-10", cluster="shared-k8s").values_list(
            "namespace", "weight"
        )
    )
    # support is the shared overhead: no weight of its own, its cost split by the hubs'.
    assert weights == {"ocean": str(2 * GIB * 48), "river": str(GIB * 48)}


def test_a_month_pulled_again_is_replaced_not_added(cluster: Cluster) -> None:
    services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    services.excluded_user_add(actor=None, username="bob", cluster=cluster)
    services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert figures()["ocean"][:3] == (2, 3, Decimal("10.50"))
    assert HubUsage.objects.count() == 2 and UsagePull.objects.count() == 2
    assert set(HubUsage.objects.values_list("pull", flat=True)) == {UsagePull.objects.first().pk}  # type: ignore[union-attr]


def test_the_running_month_is_counted_up_to_now_and_marked_partial(cluster: Cluster) -> None:
    # On 12 October at noon: alice (3rd) and bob (5th); the check (6th) and yuvi (8th)
    # excluded; dave's server starts on the 20th. river: carol (7th) and alice (9th).
    now = dt.datetime(2026, 10, 12, 12, tzinfo=dt.UTC)
    result = services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=now)
    assert result.partial_month
    assert figures()["ocean"][:3] == (2, 2, Decimal("12.00"))
    assert figures()["river"][:1] == (2,)
    assert UsagePull.objects.get().partial_month


def test_a_month_not_begun_is_refused(cluster: Cluster) -> None:
    with pytest.raises(services.UsageError, match="2026-12 has not begun"):
        services.usage_pull(actor=None, cluster=cluster, month="2026-12", now=NOV_1)


def test_the_server_down_changes_nothing(cluster: Cluster, prometheus: RunningPrometheus) -> None:
    services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    before = figures()
    cluster.prometheus_url = "http://127.0.0.1:9"  # discard port: nothing listens
    cluster.save()
    with pytest.raises(PrometheusUnavailable) as error:
        services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    message = str(error.value)
    assert "cluster shared-k8s" in message and "kube_pod_annotations" in message
    assert "cannot reach Prometheus at http://127.0.0.1:9" in message
    assert figures() == before and UsagePull.objects.count() == 1


def test_a_query_that_returns_nothing_names_the_query_and_changes_nothing(cluster: Cluster) -> None:
    services.cluster_update(
        actor=None, cluster=cluster,
        memory_query='sum by (namespace) (sum_over_time(no_such_metric[{range}]))',
    )  # fmt: skip
    with pytest.raises(
        PrometheusUnavailable, match=r"no_such_metric\[2678400s\].*answered no series"
    ):
        services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert not HubUsage.objects.exists() and not UsageWeight.objects.exists()


def test_an_answer_of_the_wrong_shape_is_refused(cluster: Cluster) -> None:
    services.cluster_update(
        actor=None, cluster=cluster, server_hours_query="kube_pod_annotations[{range}]"
    )
    with pytest.raises(PrometheusUnavailable, match="expected an instant vector, got matrix"):
        services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert not HubUsage.objects.exists()


def test_a_series_without_the_user_label_is_refused(cluster: Cluster) -> None:
    services.cluster_update(
        actor=None, cluster=cluster,
        active_users_query='count by (namespace) (max_over_time(kube_pod_annotations[{range}]))',
    )  # fmt: skip
    with pytest.raises(
        PrometheusUnavailable, match="lacks the label 'annotation_hub_jupyter_org_username'"
    ):
        services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)


@pytest.fixture(scope="module")
def guarded_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPrometheus]:
    """Prometheus behind basic auth (its web config takes a bcrypt hash)."""
    import bcrypt

    hashed = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()
    config = f"basic_auth_users:\n  partnerops: {hashed}\n"
    yield from start_prometheus(
        tmp_path_factory.mktemp("guarded"), [server("ocean", "alice", at(3), 1)], web_config=config
    )


def test_refused_credentials_say_so(guarded_prometheus: RunningPrometheus, tmp_path: Path) -> None:
    make_hub("ocean")
    cluster = services.cluster_create(
        actor=None, name="shared-k8s", prometheus_url=guarded_prometheus.url,
        auth="basic", username="partnerops", secret="wrong", memory_query="", server_hours_query="",
    )  # fmt: skip
    with pytest.raises(PrometheusUnavailable, match=r"refused the credentials \(HTTP 401\)"):
        services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert not HubUsage.objects.exists()
    services.cluster_update(actor=None, cluster=cluster, secret="s3cret")
    services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert figures() == {"ocean": (1, 0, None, "")}


def test_a_blank_secret_on_update_keeps_the_stored_one(cluster: Cluster) -> None:
    services.cluster_update(actor=None, cluster=cluster, auth="bearer", secret="token-1")
    services.cluster_update(actor=None, cluster=cluster, secret="", timeout_seconds=5)
    cluster.refresh_from_db()
    assert cluster.secret == "token-1" and cluster.timeout_seconds == 5
    event = AuditEvent.objects.filter(object_id=str(cluster.pk), action="update").first()
    assert event is not None and "token-1" not in str(event.changes)


def test_a_month_in_which_no_one_started_a_server_is_zero_users(cluster: Cluster) -> None:
    services.cluster_update(actor=None, cluster=cluster, memory_query="")
    result = services.usage_pull(actor=None, cluster=cluster, month="2026-08", now=NOV_1)
    stored = {
        r.hub.name: (r.active_users, r.server_hours)
        for r in HubUsage.objects.filter(month="2026-08")
    }
    assert stored == {"ocean": (0, Decimal("0.00")), "river": (0, Decimal("0.00"))}
    assert result.active_users == 0


def test_a_pull_splits_the_shared_cluster_cost_without_another_step(cluster: Cluster) -> None:
    """A shared-cluster line (no hub label) of 90.00 on shared-k8s: before the pull there
    are two hubs and no weights, so it is unattributed; after it, ocean's 96 GiB-hours
    and river's 48 split it 60.00 / 30.00. support (overhead) and scratch carry none."""
    from partnerops.costs.models import CostGroup, CostImport, to_nanos
    from partnerops.costs.months import reattribute
    from partnerops.costs.services import month_report

    cost_import = CostImport.objects.create(
        source="gcp",
        file_name="oct.json",
        checksum="x",
        format="gcp-json",
        provider="gcp",
        months=["2026-10"],
    )
    CostGroup.objects.create(
        cost_import=cost_import, source="gcp", month="2026-10", currency="USD", account="shared-project",
        service="Compute", category="usage", cluster_label="shared-k8s", gross_nanos=to_nanos(Decimal("90.00")),
        lines=1,
    )  # fmt: skip
    reattribute("2026-10")

    def amounts() -> dict[str | None, Decimal]:
        (summary,) = month_report("2026-10")
        shares: dict[str | None, Decimal] = {item.hub: item.amount for item in summary.communities}
        shares[None] = summary.unattributed
        return shares

    assert amounts()[None] == Decimal("90.00")
    services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert amounts() == {
        "ocean": Decimal("60.00"),
        "river": Decimal("30.00"),
        None: Decimal("0.00"),
    }


def test_a_cluster_without_an_address_says_so(cluster: Cluster) -> None:
    services.cluster_update(actor=None, cluster=cluster, prometheus_url="")
    with pytest.raises(services.UsageError, match="no Prometheus address is set") as error:
        services.usage_pull(actor=None, cluster=cluster, month="2026-10", now=NOV_1)
    assert not isinstance(error.value, PrometheusUnavailable)
