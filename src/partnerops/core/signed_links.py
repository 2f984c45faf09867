"""Signed, expiring links to one object, for people who do not sign in."""

from __future__ import annotations

import datetime as dt

from django.core import signing


class LinkRefused(Exception):
    """The link was tampered with, expired, or is for something else."""


def make_token(*, purpose: str, object_id: int) -> str:
    return signing.TimestampSigner(salt=f"partnerops.{purpose}").sign_object({"id": object_id})


def read_token(token: str, *, purpose: str, max_age: dt.timedelta) -> int:
    """The object id in ``token``, or LinkRefused with the reason."""
    signer = signing.TimestampSigner(salt=f"partnerops.{purpose}")
    try:
        payload = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused("This link has expired.") from None
    except signing.BadSignature:
        raise LinkRefused("This link is not valid.") from None
    return int(payload["id"])
