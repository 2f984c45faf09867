from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partnerops.core.bootstrap import ensure_first_administrator


class Command(BaseCommand):
    help = "Create the role groups and, if nobody can administer PartnerOps yet, a first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        created = ensure_first_administrator(username=options["username"], email=options["email"])
        if created is None:
            self.stdout.write("An administrator already exists; nothing to do.")
            return
        self.stdout.write(
            self.style.SUCCESS("First administrator created. This password is shown once:")
        )
        self.stdout.write(f"  username: {created.username}\n  password: {created.password}")
