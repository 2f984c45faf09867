"""API v1: cloud cost imports, monthly reports and drill-down."""

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from partnerops.api.auth import can_import_costs, can_view_pipeline
from partnerops.core.uploads import UploadTooLarge, save_uploads
from partnerops.costs import output
from partnerops.costs.formats import ExportError
from partnerops.costs.models import CostImport
from partnerops.costs.rules import RulesError, normalize_month
from partnerops.costs.services import (
    cost_import,
    drilldown,
    imported_months,
    month_report,
    parse_hub,
)

costs = Router(tags=["cloud costs"])


class CostImportOut(Schema):
    id: int
    source: str
    file_name: str
    checksum: str
    format: str
    provider: str
    months: list[str]
    lines: int
    imported_at: dt.datetime
    superseded: bool


class DuplicateOut(Schema):
    name: str
    same_as: str


class ImportResultOut(Schema):
    imports: list[CostImportOut]
    replaced: dict[str, list[str]]
    months: list[dict[str, Any]]
    duplicates: list[DuplicateOut]


@costs.get("/imports", response=list[CostImportOut], auth=can_view_pipeline)
def list_cost_imports(request: HttpRequest) -> Any:
    return list(CostImport.objects.all()[:200])


@costs.post("/imports", response={201: ImportResultOut}, auth=can_import_costs)
def import_costs(
    request: HttpRequest,
    files: list[UploadedFile] = File(...),  # noqa: B008 - ninja's way to declare uploads
    usage: UploadedFile | None = File(None),  # noqa: B008
    source: str = Form(""),
) -> Reply[dict[str, Any]]:
    """Upload billing exports (multipart, field ``files``); their months are replaced for their source."""
    with tempfile.TemporaryDirectory(prefix="partnerops-costs-") as folder:
        try:
            names = save_uploads(
                files, Path(folder) / "exports", limit=settings.COST_UPLOAD_MAX_BYTES
            )
            usages = save_uploads(
                [usage] if usage else [],
                Path(folder) / "usage",
                limit=settings.COST_UPLOAD_MAX_BYTES,
            )
            result = cost_import(
                actor=request.user,
                paths=list(names),
                usage_path=next(iter(usages), None),
                source=source or None,
                names={**names, **usages},
            )
        except (ExportError, RulesError, UploadTooLarge) as error:
            raise HttpError(422, str(error)) from None
    body = {
        "imports": result.imports,
        "replaced": result.replaced,
        "months": [output.summary_dict(summary) for summary in result.attribution.summaries()],
        "duplicates": result.duplicates,
    }
    return Reply(201, body)


@costs.get("/months", response=list[str], auth=can_view_pipeline)
def list_cost_months(request: HttpRequest) -> list[str]:
    return imported_months()


@costs.get("/report", response=list[dict[str, Any]], auth=can_view_pipeline)
def cost_report(request: HttpRequest, month: str) -> list[dict[str, Any]]:
    """Per currency: each community's amount, the unattributed rest and the total, to the cent."""
    try:
        month = normalize_month(month, "month")
    except RulesError as error:
        raise HttpError(422, str(error)) from None
    return [output.summary_dict(summary) for summary in month_report(month)]


@costs.get(
    "/report/{month}/{currency}/{hub}", response=list[dict[str, Any]], auth=can_view_pipeline
)
def cost_drilldown(
    request: HttpRequest, month: str, currency: str, hub: str
) -> list[dict[str, Any]]:
    """The accounts and services behind one hub's amount, by the hub's id (names change);
    hub ``-`` for the unattributed rest."""
    try:
        hub_id = parse_hub(hub)
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return [
        {
            **{
                key: value
                for key, value in row.items()
                if key not in ("community_name", "hub_name")
            },
            "amount": f"{row['amount']:.9f}",
            "credits": f"{row['credits']:.9f}",
        }
        for row in drilldown(month, currency, hub_id)
    ]
