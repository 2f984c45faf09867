"""Usage from a CSV, for operators without Prometheus: checked whole, then stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partnerops.usage import services
from partnerops.usage.models import HubUsage, UsagePull
from tests.usage.test_prometheus_pull import make_hub

pytestmark = pytest.mark.django_db


def load(text: str, name: str = "usage.csv") -> services.PullResult:
    return services.usage_import_csv(actor=None, content=text.encode(), file_name=name)


def test_rows_are_stored_per_hub_and_month_replacing_earlier_figures() -> None:
    make_hub("ocean")
    make_hub("river")
    load(
        "\ufeffmonth,hub,active_users,server_hours\r\n2026-10,ocean,12,40.5\r\n2026-10,river,3,\r\n\r\n2026-09,ocean,9,1\r\n"
    )
    load("month,hub,active_users\n2026-10,ocean,14\n", name="again.csv")
    stored = {
        (r.hub.name, r.month): (r.active_users, r.server_hours)
        for r in HubUsage.objects.select_related("hub")
    }
    assert stored == {
        ("ocean", "2026-10"): (14, None),
        ("river", "2026-10"): (3, None),
        ("ocean", "2026-09"): (9, Decimal("1.00")),
    }
    assert set(UsagePull.objects.values_list("file_name", "month")) == {
        ("usage.csv", "2026-10"), ("usage.csv", "2026-09"), ("again.csv", "2026-10"),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("month,hub\n2026-10,ocean\n", "usage.csv: expected the columns month,hub,active_users"),
        ("month,hub,active_users\n2026-13,ocean,1\n", "usage.csv: row 2, column month: '2026-13' is not a month"),
        ("month,hub,active_users\n2026-10,ocean,1\n2026-10,lake,2\n", "usage.csv: row 3, column hub: no hub is named 'lake'"),
        ("month,hub,active_users\n2026-10,ocean,-1\n", "row 2, column active_users: '-1' is not a whole number"),
        ("month,hub,active_users,server_hours\n2026-10,ocean,1,lots\n", "row 2, column server_hours: 'lots'"),
        ("month,hub,active_users\n2026-10,ocean,1\n2026-10,ocean,2\n", "row 3: hub ocean appears twice for 2026-10"),
        ("month,hub,active_users\n", "usage.csv: no usage rows"),
    ],
)  # fmt: skip
def test_a_bad_row_names_file_row_and_column_and_nothing_is_stored(text: str, message: str) -> None:
    make_hub("ocean")
    with pytest.raises(services.UsageError, match=message):
        load(text)
    assert not HubUsage.objects.exists() and not UsagePull.objects.exists()


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(services.UsageError, match="is not UTF-8"):
        services.usage_import_csv(actor=None, content=b"month,hub\n\xff\xfe", file_name="x.csv")
