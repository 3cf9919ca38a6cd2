from django.core.management.base import BaseCommand, CommandError

from portal.context import acting
from registration.services.calendar import calendar_seed_from_library


class Command(BaseCommand):
    help = (
        "Load statutory holidays and make-up working days from the chinesecalendar library into the "
        "working-day calendar (rows entered by hand are kept). Run after upgrading the library."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "years", nargs="*", type=int, help="only these years (default: all the library has)"
        )

    def handle(self, *args, **options):
        years = options["years"] or None
        if years and any(y < 2004 or y > 2100 for y in years):
            raise CommandError("years must be between 2004 and 2100")
        with acting(via="command"):
            counts = calendar_seed_from_library(years=years)
        self.stdout.write(
            self.style.SUCCESS(
                "calendar: {created} added, {updated} refreshed, {kept_manual} entered by hand kept".format(
                    **counts
                )
            )
        )
