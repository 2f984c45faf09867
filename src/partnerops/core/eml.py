"""Received emails (.eml files) read once, with bounds, into plain values.

The running notes and the invoice confirmations both take a received .eml; a file from
outside is hostile until read: its Date may not be a date, its charset may not exist,
its parts may nest thousands deep (the parser recurses), its attachments may be many.
Each of those is a clear error on the upload field, never a 500 (issue 17).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message

from django.core.exceptions import ValidationError

MAX_BODY = 100_000
# A real email nests a few multipart containers; the parser recurses once for each.
MAX_CONTAINERS = 100
_BOUNDARY = re.compile(rb"boundary\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class ReceivedMessage:
    sender: str
    sender_address: str
    to: str
    cc: str
    subject: str
    sent_at: dt.datetime
    body: str
    message_id: str
    attachments: list[Attachment] = field(default_factory=list)


def _refuse(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: message})


def _parse(content: bytes, field_name: str) -> EmailMessage:
    if len(_BOUNDARY.findall(content)) > MAX_CONTAINERS:
        raise _refuse(field_name, f"This email nests more than {MAX_CONTAINERS} multipart parts.")
    try:
        message = email.message_from_bytes(content, policy=email.policy.default)
    except RecursionError:
        raise _refuse(field_name, "This email's parts nest too deep to read.") from None
    if not isinstance(message, EmailMessage) or not message.get("From") or not message.get("Date"):
        raise _refuse(field_name, "This file is not an email: it has no From or Date header.")
    return message


def _sent_at(message: EmailMessage, field_name: str) -> dt.datetime:
    raw = str(message.get("Date", ""))
    try:
        sent_at = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        raise _refuse(field_name, f"Its Date header is not a date: {raw[:100]!r}.") from None
    if sent_at.tzinfo is None:
        # RFC 5322 "-0000": the sender's zone is unknown; UTC is the honest reading.
        sent_at = sent_at.replace(tzinfo=dt.UTC)
    return sent_at


def part_text(part: Message) -> str:
    """A text part's words; an unknown or wrong charset is read as UTF-8 with
    replacement characters rather than refused (the words still matter)."""
    try:
        text = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeDecodeError, AssertionError):
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if part.get_content_type() == "text/html":
        import nh3

        text = nh3.clean(str(text), tags=set())  # the words, without markup
    return str(text)[:MAX_BODY]


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part_text(part) if part is not None else ""


def _attachments(message: EmailMessage, field_name: str, limit: int) -> list[Attachment]:
    found: list[Attachment] = []
    for part in message.iter_attachments():
        if len(found) == limit:
            raise _refuse(field_name, f"This email has more than {limit} attachments.")
        payload = part.get_payload(decode=True)
        found.append(
            Attachment(
                name=str(part.get_filename() or "attachment"),
                content=payload if isinstance(payload, bytes) else b"",
                content_type=part.get_content_type(),
            )
        )
    return found


def read_received(
    content: bytes, *, max_attachments: int, field_name: str = "email_file"
) -> ReceivedMessage:
    """The email's sender, recipients, date, subject, words and attachments; any
    problem is a ValidationError on ``field_name`` that says what is wrong."""
    message = _parse(content, field_name)
    try:
        body = _body(message)
        attachments = _attachments(message, field_name, max_attachments)
    except RecursionError:
        raise _refuse(field_name, "This email's parts nest too deep to read.") from None
    sender = str(message["From"])
    return ReceivedMessage(
        sender=sender,
        sender_address=email.utils.parseaddr(sender)[1].lower(),
        to=str(message.get("To", "")),
        cc=str(message.get("Cc", "")),
        subject=str(message.get("Subject", "")),
        sent_at=_sent_at(message, field_name),
        body=body,
        message_id=str(message.get("Message-ID", "")),
        attachments=attachments,
    )
