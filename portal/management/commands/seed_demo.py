from django.core.management.base import BaseCommand
from django.db import transaction

from portal.context import acting
from portal.seeding import DEMO_PASSWORD, seed_shell, seeders


class Command(BaseCommand):
    help = "Load demo organisations, users and data (idempotent). Demo only: prints the shared demo password."

    def handle(self, *args, **options):
        with acting(via="command"), transaction.atomic():
            accounts = seed_shell()
            for seeder in seeders():
                seeder()
        self.stdout.write(self.style.SUCCESS("Demo logins (DEMO ONLY; password for every account below):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.username:<16} {account.role.label}  ({account.full_name})")
