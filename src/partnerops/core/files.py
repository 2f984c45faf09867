"""Generated files stored through Django's storage, and handed out as downloads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


@contextmanager
def stored_unless_error(field: FieldFile, name: str, content: bytes) -> Iterator[None]:
    """Store a generated file for the row being written; if what follows fails, the
    transaction rolls back and the file is removed with it, so no file outlives the
    record that would name it."""
    field.save(name, ContentFile(content), save=False)
    try:
        yield
    except BaseException:
        if field.name:
            field.storage.delete(field.name)
        raise


def download(field: FieldFile, filename: str, content_type: str) -> FileResponse:
    """The stored file as an attachment; 404 when there is none yet."""
    if not field:
        raise Http404("There is no file yet.")
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
