from typing import Any

from django.core.management.base import BaseCommand

from partnerops.demo import load_demo


class Command(BaseCommand):
    help = "Load realistic demo data (about 40 organizations over every phase and status). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {summary.organizations} organizations, {summary.contacts} contacts, "
                f"{summary.engagements} engagements created; {summary.skipped} already there."
            )
        )
