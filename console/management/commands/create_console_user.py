"""Create a console user with a role (analyst or admin); the password is read from the environment or a prompt."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from console.roles import ROLES
from console.services import ConsoleError, create_console_user


class Command(BaseCommand):
    help = "Create a console user: --role analyst (view, decide, label) or admin (also models, policy, keys, users)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="read the password from this environment variable instead of prompting (never from argv)",
        )

    def handle(self, *args, username: str, role: str, password_env: str | None, **options):
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"environment variable {password_env} is empty or unset")
        else:
            password = getpass.getpass(f"Password for {username}: ")
        try:
            create_console_user(username=username, password=password, role=role, actor="cli")
        except ConsoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"created console user {username} ({role})")
