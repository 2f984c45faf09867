"""Reads of the pipeline that need more than a queryset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Sum

from partnerops.crm.models import Engagement
from partnerops.crm.states import PHASE_ORDER, Phase

BOARD_CARDS_PER_COLUMN = 60

SORTS: dict[str, tuple[str, ...]] = {
    "organization": ("organization__name", "id"),
    "-organization": ("-organization__name", "-id"),
    "phase": ("phase", "id"),
    "status": ("status", "id"),
    "value": (F("expected_value").asc(nulls_first=True), "id"),  # type: ignore[dict-item]
    "-value": (F("expected_value").desc(nulls_last=True), "-id"),  # type: ignore[dict-item]
    "follow_up": (F("follow_up_on").asc(nulls_last=True), "id"),  # type: ignore[dict-item]
    "days_in_phase": ("phase_since", "id"),
    "-days_in_phase": ("-phase_since", "-id"),
    "updated": ("-updated_at", "-id"),
}
DEFAULT_SORT = "updated"


@dataclass
class EngagementFilters:
    q: str = ""
    phase: str = ""
    status: str = ""
    owner: str = ""
    kind: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, params: Any) -> EngagementFilters:
        values = {
            name: str(params.get(name, "")).strip()
            for name in ("q", "phase", "status", "owner", "kind")
        }
        sort = str(params.get("sort", DEFAULT_SORT))
        return cls(**values, sort=sort if sort in SORTS else DEFAULT_SORT)


def engagements_filtered(filters: EngagementFilters) -> QuerySet[Engagement]:
    queryset = Engagement.objects.all()
    if filters.q:
        queryset = queryset.filter(
            Q(organization__name__icontains=filters.q) | Q(title__icontains=filters.q)
        )
    if filters.phase:
        queryset = queryset.filter(phase=filters.phase)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.owner == "none":
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        queryset = queryset.filter(owner_id=int(filters.owner))
    if filters.kind:
        queryset = queryset.filter(organization__kind=filters.kind)
    return queryset


def engagement_page(
    filters: EngagementFilters, page_number: Any, per_page: int
) -> Page[Engagement]:
    """One page of the list: a count query and a page query, however many rows."""
    queryset = (
        engagements_filtered(filters)
        .select_related("organization", "owner")
        .order_by(*SORTS[filters.sort])
    )
    return Paginator(queryset, per_page).get_page(page_number)


@dataclass
class BoardColumn:
    phase: Phase
    count: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)
    cards: list[Engagement] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def board_columns(
    filters: EngagementFilters, *, per_column: int = BOARD_CARDS_PER_COLUMN
) -> list[BoardColumn]:
    """The board: one query for the totals, then one per non-empty column for its newest cards."""
    base = engagements_filtered(filters)
    columns = {phase: BoardColumn(phase=phase) for phase in PHASE_ORDER}
    totals: dict[Phase, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        base.values("phase", "currency")
        .annotate(n=Count("id"), value=Sum("expected_value"))
        .order_by()
    ):
        column = columns[Phase(row["phase"])]
        column.count += row["n"]
        if row["value"] is not None:
            totals[column.phase][row["currency"]] = row["value"]
    # One LIMIT query per column walks the (phase, phase_since) index and stops
    # after per_column rows; a window function over the whole table would rank
    # every engagement first. Five columns: still a constant number of queries.
    cards = base.select_related("organization", "owner").order_by("-phase_since", "-id")
    for phase in PHASE_ORDER:
        if columns[phase].count:
            columns[phase].cards = list(cards.filter(phase=phase)[:per_column])
    for phase, by_currency in totals.items():
        columns[phase].totals = dict(sorted(by_currency.items()))
    return [columns[phase] for phase in PHASE_ORDER]
