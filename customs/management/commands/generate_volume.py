"""``manage.py generate_volume``: inventory lists at volume for benchmarks and demos, in given states.

A few large sellers (most of the lists) and many small ones, each an enterprise with an ACTIVE filing, a
customs code and a DXP id; ten destinations; a few hundred commodity codes of the tariff in force (as many
as the loaded tariff has: the shipped subset has 51; load the full tariff for more). The lists are made
through the bulk path (``lists_create_bulk``: every check, COPY on PostgreSQL) as drafts, then moved to
their states along customs' own progress with ``portal.workflow.bulk_transition`` (one UPDATE per step and
state, every move audited): SUBMITTED → DECLARED → ENTERED (an ``invtNo``) → CONCLUDED → RELEASED → CLOSED,
with INSPECTION after CONCLUDED and REJECTED after DECLARED. Nothing is put in the exchange's outbox: volume
data never goes to customs.

    python manage.py generate_volume --lists 100000 --month 2026-03 \
        --states CLOSED=60,RELEASED=10,CONCLUDED=5,INSPECTION=5,ENTERED=5,DECLARED=5,SUBMITTED=5,REJECTED=5
"""

import random
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from customs.choices import DocStatus
from customs.management.volume import Volume
from customs.models import InventoryList
from customs.services import MAX_IMPORT_ROWS, lists_create_bulk
from customs.workflows import INVENTORY_LIST
from portal.workflow import bulk_transition

S = DocStatus
# The moves that bring a SUBMITTED list to each state, and what each move stamps.
PATHS = {
    S.DRAFT: (),
    S.SUBMITTED: ("submit",),
    S.DECLARED: ("submit", "declare"),
    S.REJECTED: ("submit", "declare", "reject"),
    S.ENTERED: ("submit", "declare", "enter"),
    S.CONCLUDED: ("submit", "declare", "enter", "conclude"),
    S.INSPECTION: ("submit", "declare", "enter", "conclude", "inspect"),
    S.RELEASED: ("submit", "declare", "enter", "conclude", "release"),
    S.CLOSED: ("submit", "declare", "enter", "conclude", "release", "close"),
}
STAMPS = {"submit": "submitted_at", "release": "released_at", "close": "closed_at"}
CUSTOMS_CODES = {"declare": "2", "enter": "120", "conclude": "399", "inspect": "500", "release": "800",
                 "close": "899", "reject": "100"}  # fmt: skip
DEFAULT_STATES = "CLOSED=60,RELEASED=10,CONCLUDED=5,INSPECTION=5,ENTERED=5,DECLARED=5,SUBMITTED=5,REJECTED=5"
DESTINATIONS = ("502", "303", "304", "305", "116", "133", "601", "132", "344", "501", "110", "112")
SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def parse_states(text: str) -> dict[str, int]:
    states = {}
    for part in text.split(","):
        name, _, share = part.partition("=")
        name = name.strip().upper()
        if name not in PATHS or not share.strip().isdigit():
            raise CommandError(f"--states: {part!r} is not STATE=share (states: {', '.join(PATHS)})")
        states[name] = int(share)
    if not sum(states.values()):
        raise CommandError("--states: the shares add up to nothing")
    return states


def split(total: int, shares: list[int]) -> list[int]:
    """``total`` split in proportion to ``shares`` (largest remainders), summing exactly to ``total``."""
    whole = sum(shares)
    exact = [total * s / whole for s in shares]
    counts = [int(x) for x in exact]
    for index in sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[index] += 1
    return counts


class Command(BaseCommand):
    help = "Make inventory lists at volume (large and small sellers, ten destinations, many HS codes)."

    def add_arguments(self, parser):
        parser.add_argument("--lists", type=int, default=10_000)
        parser.add_argument("--large-sellers", type=int, default=3)
        parser.add_argument("--small-sellers", type=int, default=50)
        parser.add_argument("--large-share", type=int, default=70, help="percent of the lists (default 70)")
        parser.add_argument("--destinations", type=int, default=10)
        parser.add_argument("--hs-codes", type=int, default=300)
        parser.add_argument("--month", default="", help="YYYY-MM of the export dates (default: last month)")
        parser.add_argument("--states", default=DEFAULT_STATES)
        parser.add_argument("--batch", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--tag", default="", help="prefix of the enterprise references (default: time)")

    def handle(self, *args, **options):
        rnd = random.Random(options["seed"])  # noqa: S311 - made-up data, reproducible by seed
        month = self._month(options["month"])
        states = parse_states(options["states"])
        volume = Volume(month=month, rnd=rnd, tag=options["tag"] or timezone.now().strftime("%H%M%S"))
        goods = volume.goods(options["hs_codes"])
        destinations = volume.destinations(options["destinations"])
        sellers = volume.sellers(options["large_sellers"], options["small_sellers"])
        counts = self._per_seller(options, len(sellers), rnd)
        ids = []
        for (org, user), n in zip(sellers, counts, strict=True):
            for start in range(0, n, options["batch"]):
                rows = volume.rows(min(options["batch"], n - start), goods, destinations)
                result = lists_create_bulk(
                    owner=org, filer=org, by=user, rows=rows, submit=False, max_rows=MAX_IMPORT_ROWS
                )
                ids += [pk for _, pk, created in result.rows if created]
        moved = self._to_states(ids, states, month, rnd)
        self.stdout.write(
            f"{len(ids)} lists of {len(sellers)} sellers, {len(destinations)} destinations, {len(goods)} HS "
            f"codes, export month {month:%Y-%m}: " + ", ".join(f"{state} {n}" for state, n in moved.items())
        )

    @staticmethod
    def _month(text: str) -> date:
        if not text:
            first = timezone.localdate().replace(day=1)
            return (first - timedelta(days=1)).replace(day=1)
        try:
            year, month = (int(part) for part in text.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise CommandError("--month is YYYY-MM") from None

    @staticmethod
    def _per_seller(options, sellers: int, rnd) -> list[int]:
        large, small = options["large_sellers"], sellers - options["large_sellers"]
        big = options["lists"] * options["large_share"] // 100 if small else options["lists"]
        weights = [rnd.randint(5, 10) for _ in range(large)]
        counts = split(big, weights) if large else []
        if small:
            counts += split(options["lists"] - sum(counts), [rnd.randint(1, 5) for _ in range(small)])
        return counts

    def _to_states(self, ids: list[int], states: dict[str, int], month: date, rnd) -> dict[str, int]:
        rnd.shuffle(ids)
        names = list(states)
        counts = split(len(ids), [states[n] for n in names])
        moved, start = {}, 0
        for name, count in zip(names, counts, strict=True):
            group = ids[start : start + count]
            start += count
            for days, chunk in self._by_day(group, month):
                self._move(chunk, PATHS[name], days)
            moved[name] = count
        return moved

    @staticmethod
    def _by_day(ids: list[int], month: date):
        """The lists in groups of one day of the month (the moment their moves are stamped with)."""
        days = 28
        for day in range(days):
            chunk = ids[day::days]
            if chunk:
                yield datetime.combine(month + timedelta(days=day), time(10), tzinfo=SHANGHAI), chunk

    @staticmethod
    @transaction.atomic
    def _move(ids: list[int], verbs: tuple, at: datetime) -> None:
        for verb in verbs:
            extra = {"customs_at": at}
            if verb in STAMPS:
                extra[STAMPS[verb]] = at
            if verb in CUSTOMS_CODES:
                extra["customs_status"] = CUSTOMS_CODES[verb]
            queryset = InventoryList.objects.filter(pk__in=ids)
            bulk_transition(queryset, verb, workflow=INVENTORY_LIST, extra_updates=extra,
                            payload={"by": "generate_volume"})  # fmt: skip
            if verb == "enter":
                queryset.update(
                    invt_no=Concat(
                        Value(f"2901{at:%Y}E"),
                        LPad(Cast("id", output_field=CharField()), 9, Value("0")),
                        output_field=CharField(),
                    )
                )
