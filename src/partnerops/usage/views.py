"""Hub usage pages (placeholder filled below)."""

from __future__ import annotations

from django.utils.safestring import SafeString

from partnerops.hubs.models import Hub


def hub_usage_panel(hub: Hub) -> SafeString:
    return SafeString("")
