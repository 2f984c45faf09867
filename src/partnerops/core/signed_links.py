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
    return read_token_made(token, purpose=purpose, max_age=max_age)[0]


def read_token_made(token: str, *, purpose: str, max_age: dt.timedelta) -> tuple[int, dt.datetime]:
    """The object id in ``token`` and when the link was made (to the second), so that
    links made before a withdrawal can be refused; or LinkRefused with the reason."""
    signer = signing.TimestampSigner(salt=f"partnerops.{purpose}")
    try:
        payload = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused("This link has expired.") from None
    except signing.BadSignature:
        raise LinkRefused("This link is not valid.") from None
    # The signature is verified: the timestamp between the last two colons is ours.
    made = signing.b62_decode(token.rsplit(signer.sep, 2)[-2])
    return int(payload["id"]), dt.datetime.fromtimestamp(made, tz=dt.UTC)
