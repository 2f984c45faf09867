import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnerops.core.errors import DomainError
from partnerops.core.tokens import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user (printed once), e.g. for automation."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="A token for --user, printed once.")
        create.add_argument("--user", required=True)
        create.add_argument("--name", required=True, help="What it is for, to tell tokens apart.")
        create.add_argument("--expires-on", help="Last day it works, YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {options['user']!r}.")
        expires_on = None
        if options["expires_on"]:
            try:
                expires_on = dt.date.fromisoformat(options["expires_on"])
            except ValueError:
                raise CommandError(
                    f"--expires-on {options['expires_on']!r} is not a date (YYYY-MM-DD)."
                ) from None
        try:
            # The token is the user's own, as if they had made it on their account page.
            _, plaintext = api_token_create(actor=user, name=options["name"], expires_on=expires_on)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Token for {user.username} (shown once):")
        self.stdout.write(f"  {plaintext}")
