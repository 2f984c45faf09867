"""Gapless document numbers per issuer and year, given at finalisation under a lock.

The counter row is read with SELECT ... FOR UPDATE (and, on PostgreSQL, behind an
advisory lock so that the very first number of a year cannot race on the insert).
The number is taken in the same transaction that issues the document: if issuing
fails, the counter rolls back with it, so no number is ever skipped.
"""

from __future__ import annotations

from django.conf import settings

from partnerops.core.locks import transaction_lock
from partnerops.invoicing.models import NumberSequence

FORMATS = {"invoice": "INVOICE_NUMBER_FORMAT", "credit_note": "CREDIT_NOTE_NUMBER_FORMAT"}


def next_number(*, issuer: str, year: int, kind: str) -> tuple[str, int]:
    """The formatted number and its place in the sequence."""
    transaction_lock(f"numbering:{issuer}:{year}:{kind}")
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(
        issuer=issuer, year=year, kind=kind
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    template: str = getattr(settings, FORMATS[kind])
    return template.format(year=year, number=sequence.last, issuer=issuer), sequence.last
