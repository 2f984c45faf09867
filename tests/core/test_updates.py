"""Issue 16: one helper sets the fields a service was given; an unknown one sets nothing."""

from __future__ import annotations

import pytest

from partnerops.core.updates import assign_fields
from partnerops.crm.models import Organization


def test_known_fields_are_set_and_an_unknown_one_sets_nothing() -> None:
    organization = Organization(name="Before", notes="")
    assign_fields(
        organization, allowed=("name", "notes"), values={"name": "After", "notes": "kept"}
    )
    assert (organization.name, organization.notes) == ("After", "kept")
    with pytest.raises(TypeError, match="Unknown fields for Organization: password, zeta"):
        assign_fields(
            organization, allowed=("name",), values={"name": "Again", "zeta": 1, "password": "x"}
        )
    assert organization.name == "After"
