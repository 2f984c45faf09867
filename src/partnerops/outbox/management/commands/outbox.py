import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partnerops.outbox.services import emails_send_queued


class Command(BaseCommand):
    help = "Send queued emails (each at most once). --loop keeps polling, for a worker process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = emails_send_queued()
            if any(counts.values()):
                self.stdout.write(", ".join(f"{name} {count}" for name, count in counts.items()))
            if not options["loop"]:
                return
            time.sleep(options["interval"])
