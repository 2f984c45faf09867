"""Pages: upload exports, see a month's reconciliation, drill into a community's amount."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partnerops.core.access import requires
from partnerops.core.roles import Capability, has_capability
from partnerops.core.uploads import UploadTooLarge, save_uploads
from partnerops.costs.formats import ExportError
from partnerops.costs.models import CostImport
from partnerops.costs.months import stale_label_keys
from partnerops.costs.panels import month_panels
from partnerops.costs.rules import RulesError, normalize_month
from partnerops.costs.services import (
    cost_import,
    drilldown,
    imported_months,
    month_report,
    parse_hub,
)

VIEW = Capability.VIEW_PIPELINE


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: object, initial: object = None) -> object:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]
        widget=MultipleFileInput(), help_text="Billing exports: CSV, CSV.gz, JSON lines, Parquet."
    )
    usage = forms.FileField(
        required=False, help_text="Optional CSV of month,cluster,hub,weight for shared clusters."
    )
    source = forms.CharField(
        required=False,
        help_text="Whose bill (default: the provider). An import replaces its months.",
    )


def _import(request: HttpRequest, form: ImportForm) -> HttpResponse | None:
    """Save the uploads (each in its own folder, bounded) and import them; None when the
    form got an error instead."""
    with tempfile.TemporaryDirectory(prefix="partnerops-costs-") as folder:
        try:
            names = save_uploads(
                form.cleaned_data["files"],
                Path(folder) / "exports",
                limit=settings.COST_UPLOAD_MAX_BYTES,
            )
            usage = save_uploads(
                [form.cleaned_data["usage"]] if form.cleaned_data["usage"] else [],
                Path(folder) / "usage",
                limit=settings.COST_UPLOAD_MAX_BYTES,
            )
            result = cost_import(
                actor=request.user,
                paths=list(names),
                usage_path=next(iter(usage), None),
                source=form.cleaned_data["source"] or None,
                names={**names, **usage},
            )
        except (ExportError, RulesError, UploadTooLarge) as error:
            form.add_error(None, str(error))
            return None
    for source, months in result.replaced.items():
        messages.success(request, f"Imported {source}: {', '.join(months)} replaced.")
    for warning in result.duplicate_messages():
        messages.warning(request, warning)
    months = result.attribution.months()
    return redirect("costs:month", month=months[-1]) if months else redirect("costs:overview")


@requires(VIEW, write=Capability.IMPORT_COSTS)
def cost_overview(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _import(request, form)
        if response is not None:
            return response
    context = {
        "form": form,
        "months": imported_months(),
        "imports": CostImport.objects.select_related("imported_by")[:30],
        "can_import": has_capability(request.user, Capability.IMPORT_COSTS),
    }
    return render(request, "costs/overview.html", context)


@requires(VIEW)
def cost_month(request: HttpRequest, month: str) -> HttpResponse:
    try:
        month = normalize_month(month, "month")
    except RulesError:
        raise Http404("Not a month.") from None
    summaries = month_report(month)
    if not summaries:
        messages.info(request, f"No costs imported for {month}.")
        return redirect("costs:overview")
    return render(
        request,
        "costs/month.html",
        {
            "month": month,
            "summaries": summaries,
            "months": imported_months(),
            "panels": month_panels(month),
            "stale": stale_label_keys(month),
        },
    )


@requires(VIEW)
def cost_drilldown(request: HttpRequest, month: str, currency: str, hub: str) -> HttpResponse:
    """The services and accounts behind one hub's amount (or the unattributed rest: hub '-')."""
    try:
        rows = drilldown(month, currency, parse_hub(hub))
    except ValueError:
        raise Http404("Not a hub.") from None
    if not rows:
        raise Http404("Nothing imported for that hub and month.")
    community = rows[0]["community_name"] or "(unattributed)"
    hub = rows[0]["hub_name"] or "-"
    total = sum((row["amount"] for row in rows), Decimal(0))
    context = {
        "month": month,
        "currency": currency,
        "hub": hub,
        "community": community,
        "rows": rows,
        "total": total,
    }
    return render(request, "costs/drilldown.html", context)
