"""Realistic demo data: about 40 organizations over every phase and status.

Everything is written through the services, with back-dated moves, so the demo
has the same milestones, timeline and audit trail that real use produces.
Deterministic (a fixed seed) and idempotent: organizations that exist are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from partnerops.contracts import services as contracts
from partnerops.contracts.models import AgreementKind, AgreementState, EndReason
from partnerops.core.bootstrap import ensure_roles
from partnerops.core.errors import DomainError
from partnerops.core.money import round_cents
from partnerops.core.roles import Role
from partnerops.costs.models import CostLine
from partnerops.costs.services import cost_import
from partnerops.crm import services
from partnerops.crm.models import (
    Assessment,
    Criterion,
    EntryKind,
    ExpectedTier,
    LeadSource,
    OrganizationKind,
)
from partnerops.crm.states import Phase, Status
from partnerops.hubs import services as hubs
from partnerops.hubs.models import Hub, HubState
from partnerops.invoicing.run import billing_run

P, S = Phase, Status
QL = (P.QUALIFIED_LEAD, S.ACTIVE_LEAD)
PR = (P.PROSPECT, S.ACTIVE_LEAD)
NA = (P.PARTNER, S.NEEDS_ADMIN)
AS = (P.PARTNER, S.ACTIVE_SERVICE)

# The moves that bring a new lead to each demo state, in order.
ROUTES: dict[tuple[Phase, Status], list[tuple[Phase, Status]]] = {
    (P.LEAD, S.ACTIVE_LEAD): [],
    (P.LEAD, S.INACTIVE_LEAD): [(P.LEAD, S.INACTIVE_LEAD)],
    (P.LEAD, S.WAITING): [(P.LEAD, S.WAITING)],
    (P.QUALIFIED_LEAD, S.ACTIVE_LEAD): [QL],
    (P.QUALIFIED_LEAD, S.WAITING): [QL, (P.QUALIFIED_LEAD, S.WAITING)],
    (P.PROSPECT, S.ACTIVE_LEAD): [QL, PR],
    (P.PROSPECT, S.NEEDS_ADMIN): [QL, PR, (P.PROSPECT, S.NEEDS_ADMIN)],
    (P.PARTNER, S.NEEDS_ADMIN): [QL, PR, NA],
    (P.PARTNER, S.ACTIVE_SERVICE): [QL, PR, NA, AS],
    (P.PARTNER, S.INACTIVE_SERVICE): [QL, PR, NA, AS, (P.PARTNER, S.INACTIVE_SERVICE)],
    (P.CLOSED, S.INACTIVE_LEAD): [QL, (P.CLOSED, S.INACTIVE_LEAD)],
    (P.CLOSED, S.INACTIVE_SERVICE): [QL, PR, NA, AS, (P.CLOSED, S.INACTIVE_SERVICE)],
}

COMMUNITIES = [
    ("University of the Northern Plains", "US"),
    ("Coastal Ocean Data Collective", "US"),
    ("Andes Climate Observatory", "CL"),
    ("Open Genomics Teaching Lab", "GB"),
    ("Prairie State Community College", "US"),
    ("Pangeo Earth Science Hub", "US"),
    ("Mekong Hydrology Network", "VN"),
    ("Institute for Computational Linguistics", "DE"),
    ("Great Lakes Data Science Academy", "CA"),
    ("Sahel Remote Sensing Initiative", "SN"),
    ("Polar Ice Dynamics Project", "NO"),
    ("Neuroimaging Commons", "US"),
    ("Amazon Biodiversity Archive", "BR"),
    ("Highland Statistics Department", "GB"),
    ("Pacific Islands Climate School", "FJ"),
    ("Urban Mobility Research Centre", "NL"),
    ("Digital Humanities Workshop", "FR"),
    ("Cascadia Seismology Group", "US"),
    ("Open Astronomy Classroom", "AU"),
    ("Rift Valley Public Health Lab", "KE"),
    ("Alpine Snowpack Monitoring", "CH"),
    ("Data Carpentry Chapter Lima", "PE"),
    ("Materials Informatics Consortium", "JP"),
    ("River Basin Water Futures", "ZA"),
    ("Bay Area Teaching Hub", "US"),
    ("Quantum Chemistry Training Network", "IN"),
    ("Arctic Community Science", "CA"),
    ("Epidemiology Methods School", "MX"),
    ("Wildfire Smoke Forecasting Lab", "US"),
    ("Open Economics Bootcamp", "ES"),
    ("Marine Plankton Imaging", "PT"),
    ("Heritage Language Archives", "NZ"),
    ("Desert Agriculture Research Station", "IL"),
    ("Space Weather Data Centre", "BE"),
]
OTHERS = [
    ("Atlas Science Foundation", OrganizationKind.FUNDER, "US"),
    ("Open Research Philanthropy", OrganizationKind.FUNDER, "GB"),
    ("Nimbus Cloud Platform", OrganizationKind.CLOUD_VENDOR, "US"),
    ("Campus Cloud Resellers", OrganizationKind.RESELLER, "US"),
    ("Commons Fiscal Sponsorship", OrganizationKind.FISCAL_SPONSOR, "US"),
    ("Research Software Alliance", OrganizationKind.OTHER, "AU"),
]
FIRST = [
    "Ana",
    "Ben",
    "Chidi",
    "Dana",
    "Eun-ji",
    "Farah",
    "Goran",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
]
LAST = ["Alvarez", "Brooks", "Chen", "Dubois", "Eze", "Fischer", "Gupta", "Haddad", "Ito", "Jensen"]
TEAM = [
    ("partnerships", "Paula", "Partner", Role.PARTNERSHIPS),
    ("engineering", "Eli", "Engineer", Role.ENGINEERING),
    ("operations", "Olu", "Operations", Role.OPERATIONS),
    ("viewer", "Val", "Viewer", Role.VIEWER),
]
TIER_VALUES = {
    ExpectedTier.EDUCATION: Decimal("12000.00"),
    ExpectedTier.RESEARCH: Decimal("18000.00"),
    ExpectedTier.PARTNERSHIP: Decimal("50000.00"),
    ExpectedTier.MEMBERSHIP: Decimal("15000.00"),
}
NOTES = [
    (
        EntryKind.EMAIL,
        "Hail the Lead sent",
        "Sent the service description with pricing and the scheduling link.",
    ),
    (
        EntryKind.MEETING,
        "Intro meeting",
        "**Attendees**: decision maker, community representative.\n\n"
        "- Answered questions about the shared cluster\n- Explained the *right to replicate*\n- Demo of a hub",
    ),
    (
        EntryKind.CALL,
        "Follow-up call",
        "They need a hub for a course of about 120 students next term.",
    ),
    (
        EntryKind.NOTE,
        "Procurement",
        "Their procurement office asks for a services agreement and a W-9.",
    ),
]


@dataclass
class DemoSummary:
    organizations: int = 0
    contacts: int = 0
    engagements: int = 0
    skipped: int = 0


def _team() -> list[Any]:
    ensure_roles()
    user_model = get_user_model()
    members = []
    for username, first, last, role in TEAM:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role.value))
        members.append(user)
    return members


def _at(day: dt.date, rng: random.Random, *, after: dt.datetime | None = None) -> dt.datetime:
    """A working-hours time on ``day``, later than ``after`` and never in the future."""
    moment = timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
    )
    if after is not None and moment <= after:
        moment = after + dt.timedelta(minutes=5)
    return min(moment, timezone.now())


def _targets() -> list[tuple[Phase, Status]]:
    """34 communities over the 12 demo states, more of them where real pipelines are fuller."""
    weights = {
        (P.LEAD, S.ACTIVE_LEAD): 5,
        (P.LEAD, S.INACTIVE_LEAD): 2,
        (P.LEAD, S.WAITING): 2,
        (P.QUALIFIED_LEAD, S.ACTIVE_LEAD): 4,
        (P.QUALIFIED_LEAD, S.WAITING): 2,
        (P.PROSPECT, S.ACTIVE_LEAD): 3,
        (P.PROSPECT, S.NEEDS_ADMIN): 2,
        (P.PARTNER, S.NEEDS_ADMIN): 2,
        (P.PARTNER, S.ACTIVE_SERVICE): 7,
        (P.PARTNER, S.INACTIVE_SERVICE): 1,
        (P.CLOSED, S.INACTIVE_LEAD): 3,
        (P.CLOSED, S.INACTIVE_SERVICE): 1,
    }
    return [state for state, count in weights.items() for _ in range(count)]


@transaction.atomic
def load_demo(*, seed: int = 2026) -> DemoSummary:
    rng = random.Random(seed)
    summary = DemoSummary()
    team = _team()
    lead_owner = team[0]
    today = timezone.localdate()
    for (name, country), target in zip(COMMUNITIES, _targets(), strict=True):
        if services.Organization.objects.filter(name__iexact=name).exists():
            summary.skipped += 1
            continue
        organization = services.organization_create(
            actor=lead_owner,
            name=name,
            kind=OrganizationKind.COMMUNITY,
            country=country,
            website=f"https://{name.lower().replace(' ', '-')}.example.edu",
        )
        summary.organizations += 1
        summary.contacts += _contacts(organization, lead_owner, rng)
        _engagement(organization, target, lead_owner, rng, today)
        summary.engagements += 1
    _demo_team(lead_owner, today)
    _demo_grants(lead_owner, today)
    _demo_usage(lead_owner, today)
    _demo_costs(lead_owner, today)
    _demo_billing(lead_owner, today)
    for name, kind, country in OTHERS:
        if services.Organization.objects.filter(name__iexact=name).exists():
            summary.skipped += 1
            continue
        organization = services.organization_create(
            actor=lead_owner, name=name, kind=kind, country=country
        )
        summary.organizations += 1
        summary.contacts += _contacts(organization, lead_owner, rng, count=1)
    return summary


def _contacts(organization: Any, actor: Any, rng: random.Random, count: int | None = None) -> int:
    count = count or rng.randint(1, 3)
    domain = organization.name.lower().replace(" ", "-") + ".example.edu"
    used: set[str] = set()
    for index in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}@{domain}".replace("-", "")
        if email in used:
            email = f"{first.lower()}{index}@{domain}"
        used.add(email)
        services.contact_create(
            actor=actor,
            organization=organization,
            name=f"{first} {last}",
            email=email,
            title=rng.choice(
                ["Professor", "Research Software Engineer", "IT Director", "Program Manager"]
            ),
            is_decision_maker=index == 0,
            is_community_representative=index == 0 or index == 2,
            is_billing_contact=index == 1 or count == 1,
            is_technical_contact=index == count - 1,
        )
    return count


def _engagement(
    organization: Any, target: tuple[Phase, Status], owner: Any, rng: random.Random, today: dt.date
) -> None:
    route = ROUTES[target]
    first_touch = today - dt.timedelta(days=rng.randint(20 + 45 * len(route), 60 + 60 * len(route)))
    tier = rng.choice(list(TIER_VALUES))
    engagement = services.engagement_create(
        actor=owner,
        organization=organization,
        title="Managed hub service",
        owner=owner,
        source=rng.choice(LeadSource.values),
        first_touch_on=first_touch,
        expected_tier=tier,
        expected_value=TIER_VALUES[tier],
        probability=rng.choice([10, 25, 50, 75, 90]),
        occurred_at=_at(first_touch, rng),
    )
    day = first_touch
    for kind, title, body in NOTES[: rng.randint(1, len(NOTES))]:
        day += dt.timedelta(days=rng.randint(2, 12))
        services.timeline_entry_add(
            actor=owner,
            engagement=engagement,
            kind=kind,
            title=title,
            body=body,
            occurred_at=_at(min(day, today), rng),
        )
    if route:
        for criterion in Criterion:
            services.qualification_update(
                actor=owner,
                engagement=engagement,
                criterion=criterion,
                assessment=rng.choice([Assessment.ADEQUATE, Assessment.STRONG, Assessment.WEAK]),
                evidence=f"Discussed in the intro meeting ({criterion.label.lower()}).",
            )
    last = engagement.created_at
    partner_since = None
    for phase, status in route:
        day = min(day + dt.timedelta(days=rng.randint(10, 45)), today)
        last = _at(day, rng, after=last)
        services.engagement_move(
            actor=owner,
            engagement=engagement,
            phase=phase,
            status=status,
            occurred_at=last,
            follow_up_on=today + dt.timedelta(days=rng.randint(7, 90))
            if status == S.WAITING
            else None,
            close_reason="Chose to run their own JupyterHub." if phase == P.CLOSED else "",
            note="Verbal close in the meeting."
            if phase == P.PROSPECT and status == S.ACTIVE_LEAD
            else "",
        )
        if phase == P.PARTNER and partner_since is None:
            partner_since = day
    # A closed former partner predates the agreements kept here; the others get theirs.
    if (partner_since is not None and target[0] == P.PARTNER) or target == (
        P.PROSPECT,
        S.NEEDS_ADMIN,
    ):
        _agreement_and_hub(engagement, target, owner, rng, partner_since or day, tier)


def _agreement_and_hub(
    engagement: Any,
    target: tuple[Phase, Status],
    owner: Any,
    rng: random.Random,
    since: dt.date,
    tier_code: str,
) -> None:
    """What a partner was sold and what runs for it: an agreement in a state that
    matches the engagement's, and its hub in the Active Hubs table."""

    today = timezone.localdate()
    start = since + dt.timedelta(days=14)
    if target[1] == S.NEEDS_ADMIN:
        start = max(start, today + dt.timedelta(days=14))  # admin set-up still under way
    code = (
        tier_code if tier_code in ("education", "research", "partnership") else "membership-general"
    )
    try:
        tier = contracts.current_tier(code, start)
    except DomainError:  # memberships start in 2025
        tier = contracts.current_tier("education", start)
    agreement = contracts.agreement_create(
        actor=owner,
        engagement=engagement,
        tier=tier,
        kind=AgreementKind.EMAIL_CONFIRMATION,
        start_on=start,
        # Some short terms, so that the renewal views have agreements ending soon or lapsed.
        term_months=rng.choice([12, 12, 6, 7, 8]),
        billing_contact=engagement.organization.contacts.filter(is_billing_contact=True).first(),
    )
    if target == (P.PROSPECT, S.NEEDS_ADMIN):
        contracts.agreement_confirm_price(
            actor=owner,
            agreement=agreement,
            confirmed_on=since,
            confirmation="Email confirming the tier.",
        )
        return
    contracts.agreement_transition(
        actor=owner, agreement=agreement, state=AgreementState.EXECUTED, on=since
    )
    if start > today:
        return
    contracts.agreement_transition(
        actor=owner, agreement=agreement, state=AgreementState.ACTIVE, on=start
    )
    slug = (
        "".join(word[0] for word in engagement.organization.name.lower().split())[:12]
        + f"-{engagement.pk}"
    )
    hub = hubs.hub_create(
        actor=owner,
        name=slug,
        url=f"https://{slug}.hubs.example.org",
        community=engagement.organization,
        agreement=agreement,
        cluster="shared-gke-us",
        provider="gcp",
        cloud_accounts=["demo-shared-project"],
        cost_labels={"k8s-namespace": slug},
        service_start_on=start,
    )
    hubs.hub_transition(actor=owner, hub=hub, state=HubState.DEPLOYING, on=since)
    hubs.hub_transition(actor=owner, hub=hub, state=HubState.RUNNING, on=start)
    if target[1] == S.INACTIVE_SERVICE:
        contracts.agreement_transition(
            actor=owner,
            agreement=agreement,
            state=AgreementState.ENDED,
            end_reason=EndReason.EXPIRED,
            on=today,
        )
        hubs.hub_transition(actor=owner, hub=hub, state=HubState.DECOMMISSIONED, on=today)


def _demo_costs(actor: Any, today: dt.date) -> None:
    """Last month's cloud bill for the demo hubs, as a GCP billing export, imported
    the way Operations would (skipped when that month is already imported)."""
    import json
    import tempfile

    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y%m")
    hubs = list(Hub.objects.exclude(state="decommissioned").order_by("name"))
    if not hubs or CostLine.objects.filter(month=f"{month[:4]}-{month[4:]}").exists():
        return
    rng = random.Random(month)
    records = []
    for hub in hubs:
        for service, scale in (("Compute Engine", 600), ("Cloud Storage", 80), ("Networking", 40)):
            labels = [{"key": key, "value": value} for key, value in hub.cost_labels.items()]
            records.append(
                _gcp_line(
                    month, "demo-shared-project", service, labels, rng.uniform(0.2, 1.0) * scale
                )
            )
    for service in (
        "Kubernetes Engine",
        "Cloud Logging",
    ):  # the shared clusters' own cost, no hub label
        labels = [{"key": "goog-k8s-cluster-name", "value": "shared-gke-us"}]
        records.append(
            _gcp_line(month, "demo-shared-project", service, labels, rng.uniform(100, 300))
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"gcp-billing-export-{month}.json"
        path.write_text("".join(json.dumps(record) + "\n" for record in records))
        # Requested memory byte-hours per hub: how the cluster's own cost is shared.
        usage = Path(folder) / "usage.csv"
        usage.write_text(
            "month,cluster,hub,weight\n"
            + "".join(
                f"{month[:4]}-{month[4:]},{hub.cluster},{hub.name},{rng.randint(1, 50) * 10**12}\n"
                for hub in hubs
            )
        )
        cost_import(actor=actor, paths=[path], usage_path=usage)


def _demo_team(actor: Any, today: dt.date) -> None:
    """About eight people over three years: engineers and the partnerships lead, level
    and step changes, and two pay-scale versions per role (seed 002's figures)."""
    from partnerops.team import services as team
    from partnerops.team.models import JobRole

    if JobRole.objects.exists():
        return
    start = today.replace(month=1, day=1) - dt.timedelta(days=3 * 365)
    start = start.replace(day=1)
    engineer = team.role_create(
        actor=actor, name="Open Source Infrastructure Engineer", engineering=True,
        key_goal="Run and improve the hubs, with as little human-in-the-loop operation as possible.",
        reference_position="Software Engineer", salary_survey="Candid nonprofit compensation",
        survey_year=2023, survey_median=Decimal("121600.00"),
        comparable_titles=["Site reliability engineer", "Cloud engineer"],
    )  # fmt: skip
    lead = team.role_create(
        actor=actor, name="Partnerships Lead", key_goal="Sustainable, growing partnerships.",
        reference_position="Program Director", salary_survey="Candid nonprofit compensation",
        survey_year=2022, survey_median=Decimal("122000.00"), comparable_titles=["Director of Partnerships"],
    )  # fmt: skip
    for role in (engineer, lead):
        team.pay_scale_create(actor=actor, role=role, effective_from=start)
        team.pay_scale_create(
            actor=actor, role=role, effective_from=start.replace(year=start.year + 2),
            base=round_cents((role.survey_median or Decimal(0)) * Decimal("1.04")),
        )  # fmt: skip
    people = [
        ("Ana Engineer", engineer, 2, Decimal(1), 0), ("Ben Engineer", engineer, 1, Decimal(1), 0),
        ("Cam Engineer", engineer, 3, Decimal(1), 5), ("Dee Engineer", engineer, 1, Decimal("0.5"), 12),
        ("Eli Engineer", engineer, 2, Decimal(1), 18), ("Fay Engineer", engineer, 1, Decimal(1), 26),
        ("Gus Engineer", engineer, 2, Decimal("0.8"), 30), ("Jo Lead", lead, 2, Decimal(1), 0),
    ]  # fmt: skip
    for name, role, level, fte, month_offset in people:
        person = team.person_create(
            actor=actor, name=name, email=f"{name.split()[0].lower()}@example.org"
        )
        joined = contracts.add_months(start, month_offset)
        if joined >= today:
            continue
        held = team.assignment_add(
            actor=actor, person=person, role=role, level=level, fte=fte, start_on=joined
        )
        if name.startswith("Dee"):
            # Half time, she left after a year and a half.
            leaves = contracts.add_months(joined, 18)
            if leaves < today:
                team.assignment_end(actor=actor, assignment=held, end_on=leaves)
            continue
        # A step a year, and a promotion after two: the history the cost per month reads.
        for years in (1, 2):
            on = contracts.add_months(joined, 12 * years)
            if on >= today:
                break
            if years == 2 and level < role.levels:
                held = team.assignment_change(
                    actor=actor, assignment=held, on=on, level=level + 1, step=1
                )
            elif held.step < role.steps:
                held = team.assignment_change(
                    actor=actor, assignment=held, on=on, step=held.step + 1
                )


def _demo_grants(actor: Any, today: dt.date) -> None:
    """A dozen grant opportunities in every state, the awarded ones with deliverables."""
    from partnerops.grants import services as grants
    from partnerops.grants.models import Grant

    if Grant.objects.exists():
        return
    funders = [
        services.organization_create(actor=actor, name=name, kind=OrganizationKind.FUNDER)
        for name in (
            "Sloan Foundation (demo)",
            "Moore Foundation (demo)",
            "NSF CSSI (demo)",
            "CZI EOSS (demo)",
        )
        if not services.Organization.objects.filter(name=name).exists()
    ]
    if not funders:
        return
    plan = [
        ("prospecting", []), ("prospecting", []), ("drafting", ["drafting"]),
        ("drafting", ["drafting"]), ("submitted", ["drafting", "submitted"]),
        ("submitted", ["drafting", "submitted"]), ("declined", ["drafting", "submitted", "declined"]),
        ("withdrawn", ["drafting", "withdrawn"]), ("awarded", ["drafting", "submitted", "awarded"]),
        ("active", ["drafting", "submitted", "awarded", "active"]),
        ("active", ["drafting", "submitted", "awarded", "active"]),
        ("closed", ["drafting", "submitted", "awarded", "active", "closed"]),
    ]  # fmt: skip
    for number, (_, moves) in enumerate(plan, start=1):
        found = contracts.add_months(today, -36 + number * 2)
        amount = Decimal(50000 * (number % 5 + 1))
        grant = grants.grant_create(
            actor=actor, funder=funders[number % len(funders)], title=f"Demo grant {number}: shared hubs",
            programme="Open infrastructure", amount_requested=amount, probability=20 + number * 5,
            found_on=found, due_on=contracts.add_months(found, 2), owner=actor,
        )  # fmt: skip
        on = found
        for move in moves:
            on = contracts.add_months(on, 2)
            awarded = amount * Decimal("0.9") if move == "awarded" else None
            grant = grants.grant_move(
                actor=actor, grant=grant, state=move, on=min(on, today), amount_awarded=awarded
            )
            if move == "awarded":
                for months, kind, title in ((6, "deliverable", "Hubs launched"), (12, "narrative_report", "Year 1 report"),
                                            (13, "financial_report", "Year 1 financials")):  # fmt: skip
                    due = contracts.add_months(min(on, today), months)
                    item = grants.obligation_add(
                        actor=actor, grant=grant, kind=kind, title=title, due_on=due
                    )
                    if due < today:
                        grants.obligation_done(actor=actor, obligation=item, on=due)


def _demo_usage(actor: Any, today: dt.date) -> None:
    """A year of monthly active users and server-hours per demo hub, as a cluster
    without a Prometheus would import them (a CSV), and the accounts that never count.
    Skipped once the demo cluster exists."""
    from partnerops.usage import services as usage
    from partnerops.usage.models import Cluster

    hubs = list(Hub.objects.exclude(state="decommissioned").order_by("name"))
    if not hubs or Cluster.objects.filter(name="shared-gke-us").exists():
        return
    cluster = usage.cluster_create(actor=actor, name="shared-gke-us")
    usage.excluded_user_add(
        actor=actor, username="deployment-service-check", reason="the hub health check"
    )
    usage.excluded_user_add(
        actor=actor, username="demo-staff", cluster=cluster, reason="our engineer"
    )
    rng = random.Random("usage")
    rows = []
    for hub in hubs:
        start = hub.service_start_on or hub.requested_on
        users = rng.randint(5, 60)
        for back in range(12, 0, -1):
            first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            for _ in range(back - 1):
                first = (first - dt.timedelta(days=1)).replace(day=1)
            if first < start.replace(day=1):
                continue
            # Terms, holidays and a slow growth: what a class or a lab hub looks like.
            users = max(1, int(users * rng.uniform(0.85, 1.25)))
            hours = users * rng.uniform(4, 30)
            rows.append(f"{first:%Y-%m},{hub.name},{users},{hours:.1f}\n")
    if rows:
        content = ("month,hub,active_users,server_hours\n" + "".join(rows)).encode()
        usage.usage_import_csv(actor=actor, content=content, file_name="demo-usage.csv")


def _demo_billing(actor: Any, today: dt.date) -> None:
    """Last month's billing run, so the Invoices page has drafts and blocked communities
    to show (the run is idempotent: a second demo load changes nothing)."""

    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    billing_run(actor=actor, month=month, notify=False)


def _gcp_line(
    month: str, project: str, service: str, labels: list[dict[str, str]], cost: float
) -> dict[str, Any]:
    return {
        "billing_account_id": "01DEMO-000000-000000",
        "invoice": {"month": month},
        "cost_type": "regular",
        "service": {"id": service[:3].upper(), "description": service},
        "project": {"id": project, "name": project, "labels": []},
        "labels": labels,
        "cost": round(cost, 6),
        "currency": "USD",
        "credits": [
            {
                "name": "Sustained use discount",
                "amount": -round(cost * 0.05, 6),
                "type": "SUSTAINED_USAGE_DISCOUNT",
            }
        ],
    }
