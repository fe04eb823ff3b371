"""The import and export pages' link to ``congvu.personnel.io``: uploads in, files out."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse

from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.personnel.io.report import CellError, ImportReport
from congvu.personnel.models import Person

MAX_ERRORS_SHOWN = 500


def run_import(actor: AnyUser, scope: Scope, upload: UploadedFile, *,
               dry_run: bool) -> ImportReport:
    from congvu.personnel.io.importing import import_people  # loads openpyxl: only when a file comes in

    upload.seek(0)
    return import_people(upload, filename=upload.name or "", actor=actor, scope=scope, dry_run=dry_run)


def first_errors(report: ImportReport | None) -> list[CellError]:
    """The errors the page lists (a file with thousands of bad cells shows the first ones and the count)."""
    return [] if report is None else list(report.errors[:MAX_ERRORS_SHOWN])


def export_response(people: QuerySet[Person], fmt: str, *, include_sensitive: bool) -> FileResponse:
    """Write the export to a temporary file and stream it; the file is unlinked once opened."""
    from congvu.personnel.io.exporting import export_people

    handle, name = tempfile.mkstemp(suffix=f".{fmt}", prefix="congvu-export-")
    os.close(handle)
    path = Path(name)
    try:
        export_people(people, path, fmt, include_sensitive=include_sensitive)
        stream: Any = path.open("rb")
    finally:
        path.unlink(missing_ok=True)
    filename = f"can-bo-{dt.date.today():%Y%m%d}.{fmt}"
    return FileResponse(stream, as_attachment=True, filename=filename)
