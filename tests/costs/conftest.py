from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from partnerops.hubs import services as hubs
from tests.costs import exports
from tests.factories import OrganizationFactory


@pytest.fixture
def hub_table(partnerships_user: Any) -> dict[str, Any]:
    ocean = OrganizationFactory(name="Coastal Ocean")
    prairie = OrganizationFactory(name="Prairie College")
    solo = OrganizationFactory(name="Solo Institute")
    for name, community, extra in (
        ("ocean", ocean, {"cost_labels": {"k8s-namespace": "ocean"}}),
        ("prairie", prairie, {}),
    ):
        hubs.hub_create(actor=partnerships_user, name=name, community=community, cluster="shared-k8s", provider="gcp",
                        cloud_accounts=["shared-project"], **extra)  # fmt: skip
    hubs.hub_create(actor=partnerships_user, name="solo", community=solo, cluster="solo", provider="gcp",
                    tenancy="dedicated", cloud_accounts=["solo-project"])  # fmt: skip
    return {"ocean": ocean, "prairie": prairie, "solo": solo}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    usage = tmp_path / "usage.csv"
    usage.write_text(exports.USAGE_CSV)
    return {"gcp": exports.write_gcp_json(tmp_path / "gcp.json"), "usage": usage}
