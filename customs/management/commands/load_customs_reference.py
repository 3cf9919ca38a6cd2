from django.core.management.base import BaseCommand, CommandError

from customs.reference_lists import LIST_NAMES
from customs.services.reference import reference_load
from customs.services.reference_files import ReferenceFileError
from portal.context import acting


class Command(BaseCommand):
    help = (
        "Load the customs code lists (customs offices, sites, countries, currencies, transport modes, "
        "package types, units, commodity codes) from CSV files, by default those shipped in customs/data/. "
        "Rows are upserted by (code, valid_from); a new edition of a code closes the previous one. "
        "See docs/customs.md for the file format and how to load the full tariff."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", action="append", choices=LIST_NAMES, help="load only this list (repeatable)"
        )
        parser.add_argument(
            "--file", help="read the list from this CSV file instead of the shipped one (needs --only)"
        )
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help="the file is a complete edition: close codes it no longer lists the day before it starts",
        )

    def handle(self, *args, only=None, file=None, close_missing=False, **options):
        if file and (not only or len(only) != 1):
            raise CommandError("--file needs exactly one --only LIST, e.g. --only hs --file tariff-2026.csv")
        files = {only[0]: file} if file else None
        try:
            with acting(via="command"):
                results = reference_load(only=only, files=files, close_missing=close_missing)
        except ReferenceFileError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(self.style.SUCCESS(str(result)))
