from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.context import acting
from portal.seeding import DEMO_PASSWORD, seed_shell, seeders


class Command(BaseCommand):
    help = "Load demo organisations, users and data (idempotent). Demo only: prints the shared demo password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (training only): creates accounts with a public password.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates accounts (a system administrator among them) with a published password; "
                "it refuses to run with DEBUG off. Use --allow-production only for a training installation."
            )
        with acting(via="command"), transaction.atomic():
            accounts = seed_shell()
            for seeder in seeders():
                accounts.extend(seeder() or ())  # a seeder may return the demo logins it made
        self.stdout.write(self.style.SUCCESS("Demo logins (DEMO ONLY; password for every account below):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.username:<16} {account.role.label}  ({account.full_name})")
