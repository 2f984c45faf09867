import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from partnerops.tick import run


class Command(BaseCommand):
    help = (
        "Run the time-driven work: activate agreements on their start date, auto-renewals, "
        "Active/Inactive Service, renewal reminders, satisfaction check-ins. Safe to run any number of times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Run as if today were YYYY-MM-DD (catching up, or testing)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today {options['today']!r} is not a date (YYYY-MM-DD)."
                ) from None
        report = run(today)
        self.stdout.write(f"tick for {today:%Y-%m-%d}")
        for line in report.lines():
            self.stdout.write(f"  {line}")
