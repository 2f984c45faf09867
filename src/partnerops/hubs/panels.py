"""Panels later apps add to a hub's page (usage: active users and server-hours).

The hubs app comes before usage, so it cannot read usage itself; the usage app
registers a panel when it is ready, as invoicing adds one to a month's cost page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from partnerops.hubs.models import Hub

HubPanel = Callable[["Hub"], SafeString]
_PANELS: list[HubPanel] = []


def register_hub_panel(panel: HubPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def hub_panels(hub: Hub) -> list[SafeString]:
    """Each registered panel's HTML for the hub, in registration order."""
    return [panel(hub) for panel in _PANELS]
