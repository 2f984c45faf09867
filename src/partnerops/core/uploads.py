"""Uploaded files, read with a bound and kept under the name the person gave them.

Two habits, both from issue 17: every read of an upload stops at a limit (a file
larger than it is refused by name, before it fills memory or disk), and each upload
is saved in a folder of its own, so two files that share a name ("export.csv" from
two accounts) are two files, not one written twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError


class UploadTooLarge(ValueError):
    """An upload over its limit; the message names the file and the limit."""


def upload_name(upload: Any) -> str:
    """The file's own name as the person uploaded it, without any folder."""
    return Path(str(getattr(upload, "name", "") or "upload")).name or "upload"


def _too_large(name: str, limit: int) -> UploadTooLarge:
    return UploadTooLarge(f"{name}: larger than the limit for uploads ({limit:,} bytes).")


def save_uploads(uploads: list[Any], folder: Path, *, limit: int) -> dict[Path, str]:
    """Save each upload to ``folder/<n>/<its name>``; returns each path with the name
    to show for it. Writing stops at ``limit`` bytes a file."""
    saved: dict[Path, str] = {}
    for index, upload in enumerate(uploads, start=1):
        name = upload_name(upload)
        own = folder / str(index)
        own.mkdir(parents=True)
        path = own / name
        written = 0
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > limit:
                    raise _too_large(name, limit)
                handle.write(chunk)
        saved[path] = name
    return saved


def read_upload(upload: Any, *, limit: int, field: str) -> bytes:
    """The upload's bytes, at most ``limit`` of them; over it, a form error on ``field``."""
    if getattr(upload, "size", 0) > limit:
        raise ValidationError({field: str(_too_large(upload_name(upload), limit))})
    content = bytes(upload.read(limit + 1))
    if len(content) > limit:
        raise ValidationError({field: str(_too_large(upload_name(upload), limit))})
    return content
