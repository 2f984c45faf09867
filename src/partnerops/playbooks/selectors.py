"""Reads of the playbooks app that pages of other apps show."""

from __future__ import annotations

from typing import Any

from partnerops.crm.models import Engagement
from partnerops.playbooks.models import Playbook


def engagement_section(engagement: Engagement) -> dict[str, Any]:
    """The engagement's playbooks, documents and correspondence, for its page (crm
    shows them through ``crm.sections``; playbooks registers this when ready)."""
    return {
        "playbooks": Playbook.objects.filter(active=True),
        "playbook_runs": engagement.playbook_runs.select_related("started_by")[:20],
        "engagement_documents": engagement.documents.all()[:50],
        "outbound_emails": engagement.outbound_emails.order_by("-created_at")[:30],
        "handoff_issues": engagement.handoff_issues.all(),
    }
