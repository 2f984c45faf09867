from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnerops.core.errors import DomainError
from partnerops.core.roles import Role
from partnerops.core.users import user_create, user_deactivate, user_set_role

ROLES = [role.value for role in Role]


class Command(BaseCommand):
    help = "Manage who signs in: create a user with a role, change a role, deactivate a user."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="A user with a role and a one-time password.")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=ROLES)
        create.add_argument("--email", default="")
        set_role = actions.add_parser("set-role", help="Give a user another role.")
        set_role.add_argument("username")
        set_role.add_argument("role", choices=ROLES)
        deactivate = actions.add_parser("deactivate", help="Stop a user signing in (tokens too).")
        deactivate.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except DomainError as error:
            raise CommandError(str(error)) from None

    def _run(self, options: dict[str, Any]) -> None:
        action, username = options["action"], options["username"]
        if action == "create":
            created = user_create(
                actor=None, username=username, role=options["role"], email=options["email"]
            )
            self.stdout.write(
                f"{username} created as {options['role']}. This password is shown once:"
            )
            self.stdout.write(f"  {created.password}")
        elif action == "set-role":
            user_set_role(actor=None, username=username, role=options["role"])
            self.stdout.write(f"{username} is now {options['role']}.")
        else:
            user_deactivate(actor=None, username=username)
            self.stdout.write(f"{username} can no longer sign in; their tokens are revoked.")
