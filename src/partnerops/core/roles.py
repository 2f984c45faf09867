"""Roles (Django groups) and the capabilities each one grants.

Roles are groups so that administrators can assign them in the admin; what a
role may do is this table, kept in code so that it is reviewed like code and
documented in docs/permissions.md.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser


class Role(StrEnum):
    PARTNERSHIPS = "Partnerships"
    ENGINEERING = "Engineering"
    OPERATIONS = "Operations"
    VIEWER = "Viewer"
    ADMINISTRATOR = "Administrator"


class Capability(StrEnum):
    VIEW_PIPELINE = "view_pipeline"
    CHANGE_PIPELINE = "change_pipeline"
    CHANGE_PRICE_BOOK = "change_price_book"
    CHANGE_AGREEMENTS = "change_agreements"
    SIGN_AGREEMENTS = "sign_agreements"
    CHANGE_HUBS = "change_hubs"
    IMPORT_COSTS = "import_costs"
    VIEW_INVOICES = "view_invoices"
    MANAGE_BILLING = "manage_billing"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_COMPENSATION = "view_compensation"
    MANAGE_TEAM = "manage_team"
    MANAGE_GRANTS = "manage_grants"


# What each capability lets a person do, in the words docs/permissions.md uses: the
# page's prose is generated from these and ROLE_CAPABILITIES, so it cannot disagree
# with the table under it (issue 17, item 13).
CAPABILITY_DESCRIPTIONS: dict[Capability, str] = {
    Capability.VIEW_PIPELINE: "reads the pipeline (organizations, contacts, engagements, MANIAC-T, running "
    "notes), agreements, hubs, renewals and cloud costs",
    Capability.CHANGE_PIPELINE: "changes the pipeline (organizations, contacts, engagements, moves, MANIAC-T, "
    "running notes) and runs playbooks",
    Capability.CHANGE_PRICE_BOOK: "changes the price book",
    Capability.CHANGE_AGREEMENTS: "drafts and changes agreements (terms, price confirmation, addenda, "
    "deliverables, formal documents, check-in schedules), all but their signature",
    Capability.SIGN_AGREEMENTS: "circulates agreements for signature and records the executed copy",
    Capability.CHANGE_HUBS: "keeps the hubs table and the clusters (their Prometheus, excluded users)",
    Capability.IMPORT_COSTS: "imports cloud billing exports and pulls or imports hub usage",
    Capability.VIEW_INVOICES: "reads invoices and credit notes and downloads their PDFs",
    Capability.MANAGE_BILLING: "runs billing and acts on invoices (confirmations, issue, payments, credit "
    "notes, void, exports)",
    Capability.VIEW_AUDIT_LOG: "reads the audit trail",
    Capability.MANAGE_SETTINGS: "edits Settings and uses the Django admin (templates, playbooks, users)",
    Capability.VIEW_COMPENSATION: "sees pay: pay scales, published ranges, each person's pay and the "
    "team's cost (everyone else sees titles, FTE and capacity)",
    Capability.MANAGE_TEAM: "keeps the team: roles, pay scales, people and their assignments",
    Capability.MANAGE_GRANTS: "keeps the grants: opportunities, their moves, deliverables and reports, "
    "sub-awards",
}


ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PARTNERSHIPS: frozenset(
        {
            Capability.VIEW_PIPELINE,
            Capability.CHANGE_PIPELINE,
            Capability.CHANGE_PRICE_BOOK,
            Capability.CHANGE_AGREEMENTS,
            # Seed 003: Partnerships adds the hub to the Active Hubs table.
            Capability.CHANGE_HUBS,
            # They follow their partners' invoices and may download the PDFs.
            Capability.VIEW_INVOICES,
            # Seed 000: the lead seeks grants (with the fiscal sponsor's reporting).
            Capability.MANAGE_GRANTS,
        }
    ),
    # Engineering reads the pipeline and agreements, and keeps the hubs table.
    Role.ENGINEERING: frozenset(
        {Capability.VIEW_PIPELINE, Capability.CHANGE_HUBS, Capability.IMPORT_COSTS}
    ),
    # The fiscal sponsor circulates agreements for signature and records the executed copy.
    # ... imports the provider bills that cost recovery invoices, and runs billing (seed 004).
    Role.OPERATIONS: frozenset(
        {
            Capability.VIEW_PIPELINE,
            Capability.SIGN_AGREEMENTS,
            Capability.IMPORT_COSTS,
            Capability.VIEW_INVOICES,
            Capability.MANAGE_BILLING,
            # The fiscal sponsor runs payroll and grant reporting (issue 11).
            Capability.VIEW_COMPENSATION,
            Capability.MANAGE_TEAM,
            Capability.MANAGE_GRANTS,
        }
    ),
    Role.VIEWER: frozenset({Capability.VIEW_PIPELINE}),
    Role.ADMINISTRATOR: frozenset(Capability),
}

_CACHE_ATTRIBUTE = "_partnerops_capabilities"


def user_roles(user: Any) -> frozenset[Role]:
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return frozenset()
    known = {role.value for role in Role}
    names = {group.name for group in user.groups.all() if group.name in known}
    roles = {Role(name) for name in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return frozenset(roles)


def user_capabilities(user: Any) -> frozenset[Capability]:
    """The union of the user's roles' capabilities, computed once per user object."""
    cached: frozenset[Capability] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    capabilities: set[Capability] = set()
    for role in user_roles(user):
        capabilities |= ROLE_CAPABILITIES[role]
    result = frozenset(capabilities)
    if not isinstance(user, AnonymousUser):
        setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def has_capability(user: Any, capability: Capability) -> bool:
    return capability in user_capabilities(user)
