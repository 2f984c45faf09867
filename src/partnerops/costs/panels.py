"""Panels later apps add to a month's cost page (invoicing: the cost nobody billed).

The costs app comes before invoicing, so it cannot ask for invoices itself; invoicing
registers a panel when it is ready, as playbooks adds sections to an engagement page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

MonthPanel = Callable[[str], SafeString]
_PANELS: list[MonthPanel] = []


def register_month_panel(panel: MonthPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def month_panels(month: str) -> list[SafeString]:
    """Each registered panel's HTML for the month, in registration order."""
    return [panel(month) for panel in _PANELS]
