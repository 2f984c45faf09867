"""The monthly billing run (seed 004, "Sending invoices").

One transaction behind a named lock per month: two runs at once queue (PostgreSQL
advisory lock; SQLite serialises writers), a run that dies leaves nothing, and a
second run refreshes the drafts it finds instead of adding invoices. Drafts whose
lines are unchanged are not touched, so a re-run is cheap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnerops.core import audit, csv_cells
from partnerops.core.actors import user_or_none
from partnerops.core.locks import transaction_lock
from partnerops.core.profile import get_profile
from partnerops.invoicing.audit_actions import InvoicingAction
from partnerops.invoicing.models import BillingRun, Invoice, InvoiceLine, InvoiceState
from partnerops.invoicing.plan import Draft, Plan, plan_month
from partnerops.invoicing.unbilled import MonthBilling, month_billing
from partnerops.outbox.services import Attachment, email_queue
from partnerops.outbox.templating import render_named


@dataclass
class Changes:
    created: list[Draft]
    refreshed: list[tuple[Invoice, Draft]]
    unchanged: int
    removed: list[Invoice]
    past_draft: list[tuple[Invoice, Draft]]
    voided: list[Draft]


def billing_run(
    *, actor: Any, month: str, organization_ids: set[int] | None = None, notify: bool = True
) -> BillingRun:
    """Build or refresh the month's drafts; list blocked communities; send the summary.
    ``organization_ids`` limits the run to some communities (a manual charge's refresh)."""
    with transaction.atomic():
        transaction_lock(f"billing-run:{month}")
        # Planned inside the lock, so a run that waited sees what the other one stored.
        plan = plan_month(month, organization_ids=organization_ids)
        run = BillingRun.objects.create(month=month, started_by=user_or_none(actor))
        changes = _compare(plan, organization_ids)
        _store(run, changes)
        run.created, run.refreshed, run.unchanged = (
            len(changes.created),
            len(changes.refreshed),
            changes.unchanged,
        )
        run.removed, run.past_draft = len(changes.removed), len(changes.past_draft)
        run.blocked = [blocked.as_json() for blocked in plan.blocked] + [
            {
                "organization_id": d.organization.pk,
                "organization": d.organization.name,
                "reasons": ["this month's invoice was voided; re-issue it from the invoice's page"],
            }
            for d in changes.voided
        ]
        # Only a full run's plan read every community's agreements and the whole report.
        full = organization_ids is None
        billing = month_billing(
            month,
            report=plan.cost_report if full else None,
            in_service=plan.in_service if full else None,
        )
        run.summary = summary_text(run, plan, changes, billing)
        run.finished_at = timezone.now()
        run.save()
        audit.record(
            actor=actor, instance=run, action=InvoicingAction.BILLING_RUN, message=_counts(run)
        )
        first_of_month = not BillingRun.objects.filter(month=month).exclude(pk=run.pk).exists()
        # The fiscal sponsor hears about a month once, and again only when something changed.
        if notify and (first_of_month or run.created or run.refreshed or run.removed):
            _queue_summary(run, plan, actor)
    return run


def _compare(plan: Plan, organization_ids: set[int] | None) -> Changes:
    month_invoices = Invoice.objects.filter(month=plan.month).select_related("organization")
    if organization_ids is not None:
        month_invoices = month_invoices.filter(organization_id__in=organization_ids)
    existing = {
        invoice.organization_id: invoice
        for invoice in month_invoices.exclude(state=InvoiceState.VOID)
    }
    voided_orgs = set(
        month_invoices.filter(state=InvoiceState.VOID).values_list("organization_id", flat=True)
    )
    changes = Changes([], [], 0, [], [], [])
    planned_orgs = set()
    for draft in plan.drafts:
        planned_orgs.add(draft.organization.pk)
        invoice = existing.get(draft.organization.pk)
        if invoice is None:
            if draft.organization.pk in voided_orgs:
                changes.voided.append(draft)
            else:
                changes.created.append(draft)
        elif invoice.state != InvoiceState.DRAFT:
            if invoice.lines_digest != draft.digest():
                changes.past_draft.append((invoice, draft))
        elif invoice.lines_digest == draft.digest():
            changes.unchanged += 1
        else:
            changes.refreshed.append((invoice, draft))
    # Drafts of communities no longer billable (or now blocked) go: they are derived data.
    changes.removed = [
        invoice
        for org_id, invoice in existing.items()
        if org_id not in planned_orgs and invoice.state == InvoiceState.DRAFT
    ]
    return changes


def _store(run: BillingRun, changes: Changes) -> None:
    if changes.removed:
        Invoice.objects.filter(pk__in=[invoice.pk for invoice in changes.removed]).delete()
    refreshed = [invoice for invoice, _ in changes.refreshed]
    if refreshed:
        InvoiceLine.objects.filter(invoice__in=refreshed).delete()
        for invoice, draft in changes.refreshed:
            _fill(invoice, draft, run)
        Invoice.objects.bulk_update(
            refreshed,
            [
                "engagement",
                "currency",
                "total",
                "lines_digest",
                "confirmation_required",
                "billing_contact",
                "representative",
                "last_run",
                "updated_at",
            ],
            batch_size=500,
        )
    created = [new_invoice(draft, run.month, run=run) for draft in changes.created]
    Invoice.objects.bulk_create(created, batch_size=500)
    lines = [
        line
        for invoice, draft in [*changes.refreshed, *zip(created, changes.created, strict=True)]
        for line in invoice_lines(invoice, draft)
    ]
    InvoiceLine.objects.bulk_create(lines, batch_size=1000)


def new_invoice(
    draft: Draft, month: str, *, run: BillingRun | None = None, reissue_of: Invoice | None = None
) -> Invoice:
    """An unsaved draft invoice for a planned draft."""
    invoice = Invoice(organization=draft.organization, month=month, reissue_of=reissue_of)
    _fill(invoice, draft, run)
    return invoice


def invoice_lines(invoice: Invoice, draft: Draft) -> list[InvoiceLine]:
    return [
        InvoiceLine(invoice=invoice, position=position, **vars(line))
        for position, line in enumerate(draft.lines, start=1)
    ]


def _fill(invoice: Invoice, draft: Draft, run: BillingRun | None) -> None:
    invoice.engagement_id = draft.engagement_id
    invoice.currency = draft.currency
    invoice.total = draft.total
    invoice.lines_digest = draft.digest()
    invoice.confirmation_required = draft.confirmation_required
    invoice.billing_contact = draft.billing_contact
    invoice.representative = draft.representative
    invoice.last_run = run
    invoice.updated_at = timezone.now()


def _counts(run: BillingRun) -> str:
    return (
        f"{run.month}: {run.created} drafted, {run.refreshed} refreshed, {run.unchanged} unchanged, "
        f"{run.removed} removed, {run.past_draft} past draft with changes, {len(run.blocked)} blocked"
    )


def summary_text(
    run: BillingRun, plan: Plan, changes: Changes, billing: MonthBilling | None = None
) -> str:
    """The email seed 004 sends the fiscal sponsor: each community's line items."""
    out = [f"Billing run for {run.month}", _counts(run), ""]
    for draft in sorted(plan.drafts, key=lambda d: d.organization.name):
        out.append(f"{draft.organization.name} — {draft.currency} {draft.total:,.2f}")
        out += [
            f"  {line.account_code}  {line.description}: {line.amount:,.2f}" for line in draft.lines
        ]
        if draft.confirmation_required:
            out.append("  (the community confirms delivery before the invoice is issued)")
        out.append("")
    if changes.past_draft:
        out.append(
            "Changed since their confirmation was requested (return them to draft to refresh):"
        )
        out += [f"  {invoice.organization.name}" for invoice, _ in changes.past_draft]
        out.append("")
    if run.blocked:
        out.append("Blocked (not drafted):")
        for blocked in run.blocked:
            out.append(f"  {blocked['organization']}: {'; '.join(blocked['reasons'])}")
        out.append("")
    if billing is not None and (billing.not_billed or billing.unattributed):
        out.append("Cloud cost not billed this month:")
        out += billing.lines()
    return "\n".join(out).rstrip() + "\n"


def lines_csv(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer)
    writer.writerow(["community", "currency", "account_code", "kind", "description", "amount"])
    for draft in sorted(plan.drafts, key=lambda d: d.organization.name):
        for line in draft.lines:
            writer.writerow(
                [
                    draft.organization.name,
                    draft.currency,
                    line.account_code,
                    line.kind,
                    line.description,
                    f"{line.amount:.2f}",
                ]
            )
    return buffer.getvalue().encode()


def _queue_summary(run: BillingRun, plan: Plan, actor: Any) -> None:
    profile = get_profile()
    email = render_named(
        "billing-run-summary",
        {
            "our_name": profile.name,
            "month": run.month,
            "communities": len(plan.drafts),
            "summary": run.summary,
        },
    )
    email_queue(
        key=f"billing-run:{run.pk}",
        to=[profile.operations_email],
        cc=[profile.partnerships_email],
        from_email=profile.partnerships_email,
        subject=email.subject,
        body=email.body,
        html_body=email.html_body,
        attachments=[Attachment(f"billing-{run.month}.csv", lines_csv(plan), "text/csv")],
        actor=actor,
    )
