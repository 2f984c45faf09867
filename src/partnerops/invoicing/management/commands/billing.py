"""partnerops billing run | request-confirmations | finalise | export | remind"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from partnerops.core.errors import DomainError
from partnerops.invoicing.plan import MonthError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Monthly cost-recovery invoicing (seed 004): run a month, ask for confirmations, issue, export."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="Build or refresh the month's draft invoices.")
        run.add_argument("--month", required=True, help="YYYY-MM")
        ask = actions.add_parser(
            "request-confirmations", help="Send the month's drafts for confirmation."
        )
        ask.add_argument("--month", required=True)
        issue = actions.add_parser(
            "finalise", help="Number, render and send the month's confirmed invoices."
        )
        issue.add_argument("--month", required=True)
        issue.add_argument("--issued-on", type=_date, help="Invoice date (default: today).")
        export = actions.add_parser(
            "export", help="Accounting export of issued invoices and credit notes."
        )
        export.add_argument("--layout", choices=["xero", "generic"], default="xero")
        export.add_argument("--from", dest="start", type=_date, required=True)
        export.add_argument("--to", dest="end", type=_date, required=True)
        export.add_argument("--output", type=Path, help="File to write (default: standard output).")
        remind = actions.add_parser("remind", help="Send overdue reminders (tick does this daily).")
        remind.add_argument("--today", type=_date)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except (MonthError, DomainError) as error:
            raise CommandError(str(error)) from None

    def _run(self, options: dict[str, Any]) -> None:
        from partnerops.invoicing.run import billing_run

        run = billing_run(actor=None, month=options["month"])
        self.stdout.write(
            f"{run.month}: {run.created} drafted, {run.refreshed} refreshed, {run.unchanged} unchanged, "
            f"{run.removed} removed, {run.past_draft} changed after confirmation was requested, "
            f"{len(run.blocked)} blocked"
        )
        for blocked in run.blocked:
            self.stdout.write(
                f"  blocked: {blocked['organization']}: {'; '.join(blocked['reasons'])}"
            )

    def _request_confirmations(self, options: dict[str, Any]) -> None:
        from partnerops.invoicing.services import invoices_confirmation_request

        done = invoices_confirmation_request(actor=None, month=options["month"])
        self.stdout.write(f"{len(done)} drafts sent for confirmation or confirmed by contract")

    def _finalise(self, options: dict[str, Any]) -> None:
        from partnerops.invoicing.services import invoices_finalise_confirmed

        issued = invoices_finalise_confirmed(
            actor=None, month=options["month"], issued_on=options["issued_on"]
        )
        self.stdout.write(f"{len(issued)} invoices issued: {', '.join(i.number for i in issued)}")

    def _export(self, options: dict[str, Any]) -> None:
        from partnerops.invoicing.exports import export_csv

        content = export_csv(options["layout"], options["start"], options["end"])
        if options["output"]:
            options["output"].write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")

    def _remind(self, options: dict[str, Any]) -> None:
        from partnerops.invoicing.services import overdue_reminders_send

        reminded = overdue_reminders_send(options["today"] or timezone.localdate())
        self.stdout.write(f"{len(reminded)} overdue reminders queued")
