"""Every CSV PartnerOps writes goes through here, so no cell becomes a formula.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return) as a formula: an organization named
``=HYPERLINK("http://…"&A1, "…")`` would send a row of an export to a stranger when
an accountant opens it (OWASP "CSV injection"). Such text gets a leading apostrophe,
which spreadsheets show as plain text; numbers, negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(cell: Any) -> Any:
    """The cell as written: text that a spreadsheet would evaluate, prefixed with ``'``."""
    if cell is None or isinstance(cell, int | float | Decimal):
        return cell
    text = str(cell)
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any]) -> Any: ...


class SafeWriter:
    """``csv.writer`` whose every cell is neutralised."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._writer: _Writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: Any, **options: Any) -> SafeWriter:
    return SafeWriter(handle, **options)
