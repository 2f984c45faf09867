"""What other apps add to an engagement's page.

The engagement page belongs to crm, but apps above it (playbooks: runs, documents,
correspondence) have sections on it. Rather than crm importing them, each registers
a function giving its section's context when it is ready (``AppConfig.ready``), so
the dependency runs one way: from the app above to crm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnerops.crm.models import Engagement

SectionContext = Callable[[Engagement], dict[str, Any]]
_SECTIONS: list[SectionContext] = []


def register_engagement_section(context: SectionContext) -> SectionContext:
    if context not in _SECTIONS:
        _SECTIONS.append(context)
    return context


def engagement_sections(engagement: Engagement) -> dict[str, Any]:
    """Every registered section's context, for the engagement page's template."""
    merged: dict[str, Any] = {}
    for context in _SECTIONS:
        merged.update(context(engagement))
    return merged
