"""What ``manage.py generate_volume`` makes: sellers in good standing, goods lines that pass V1–V14 for the
tariff of the month, and list rows for the bulk path."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from customs.selectors.reference import ReferenceSet
from customs.validation import check_lists

PLATFORM = ("3301960002", "浙江跨境平台")
LOGISTICS = ("3301980003", "浙江跨境物流")
DESTINATIONS = ("502", "303", "304", "305", "116", "133", "601", "132", "344", "501", "110", "112")


class Volume:
    def __init__(self, *, month: date, rnd, tag: str):
        self.month, self.rnd, self.tag = month, rnd, tag
        self.refs = ReferenceSet.load(month + timedelta(days=14))
        self.serial = 0

    def destinations(self, n: int) -> list[str]:
        return [code for code in DESTINATIONS if self.refs.valid("countries", code)][:n]

    def goods(self, n: int) -> list[dict]:
        """Up to ``n`` lines, one per commodity code of the month's tariff whose sample list passes every
        check (legal units as the tariff's; a code that needs more than the generator knows is left out)."""
        lines = [self._line(code, entry) for code, entry in sorted(self.refs.entries("hs").items())]
        rows = [self._row([line], "502", "CHECK") for line in lines]
        passing = [
            line
            for line, problems in zip(lines, check_lists(rows, on=self.month), strict=True)
            if not any(p.is_error for p in problems)
        ]
        return passing[:n]

    @staticmethod
    def _line(code: str, entry) -> dict:
        name = entry.name_cn[:250]
        line = {"gcode": code, "gname": name, "gmodel": "通用", "item_name": name, "currency": "142",
                "qty": "2", "unit": entry.unit1, "qty1": "2", "unit1": entry.unit1, "price": "25",
                "total_price": "50.00"}  # fmt: skip
        if entry.unit2:
            line.update(qty2="0.5", unit2=entry.unit2)
        return line

    def _row(self, lines: list[dict], country: str, key: str) -> dict:
        items = [
            {**line, "item_no": f"SKU-{n}", "gnum": n, "country": country} for n, line in enumerate(lines, 1)
        ]
        day = self.month + timedelta(days=self.rnd.randrange(28))
        weight = Decimal("0.6") * len(lines)
        return {
            "cop_no": f"V{self.tag}-{key}"[:30], "order_no": f"VO{self.tag}-{key}", "ebp_code": PLATFORM[0],
            "ebp_name": PLATFORM[1], "logistics_code": LOGISTICS[0], "logistics_name": LOGISTICS[1],
            "logistics_no": f"VW{self.tag}-{key}", "customs_code": "2901", "port_code": "2901",
            "ie_date": day.isoformat(), "statistics_flag": "B", "trade_mode": "9610", "traf_mode": "5",
            "country": country, "pod": "USLAX", "f_currency": "142", "i_currency": "142", "wrap_type": "2",
            "pack_no": 1, "gross_weight": str(weight + Decimal("0.2")), "net_weight": str(weight),
            "items": items,
        }  # fmt: skip

    def rows(self, n: int, goods: list[dict], destinations: list[str]) -> list[dict]:
        out = []
        for _ in range(n):
            self.serial += 1
            picked = self.rnd.sample(goods, k=min(len(goods), self.rnd.choice((1, 1, 1, 2, 3))))
            out.append(self._row(picked, self.rnd.choice(destinations), f"{self.serial:08d}"))
        return out

    @transaction.atomic
    def sellers(self, large: int, small: int) -> list[tuple]:
        """``large + small`` enterprises with an ACTIVE filing, a customs code and a DXP id, each with an
        enterprise administrator (made once; found again by their codes)."""
        return [self._seller(i, "大型" if i < large else "小型") for i in range(large + small)]

    @staticmethod
    def _seller(i: int, size: str):
        from django.contrib.auth.models import Group

        from portal.identifiers import make_uscc
        from portal.models import Organisation, User
        from registration.models import EntityFiling

        code = make_uscc("91", "330100", f"GEN{i:05d}")
        org, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={"kind": "ENTERPRISE", "name_cn": f"{size}跨境卖家{i + 1}", "division_code": "330100"},
        )
        if not EntityFiling.objects.filter(owner=org, status="ACTIVE").exists():
            EntityFiling.objects.create(
                owner=org, entity_type="APPLICATION", subtype="ENTERPRISE", status="ACTIVE",
                filing_no=f"ZJVOL{i:05d}", name_cn=org.name_cn, uscc=org.code, customs_code=f"330196{i:04d}",
                dxp_id=f"DXPVOL{i:010d}", activated_at=timezone.now(),
            )  # fmt: skip
        user, created = User.objects.get_or_create(
            username=f"volume-seller-{i}", defaults={"organisation": org}
        )
        if created:
            user.groups.add(Group.objects.get(name="enterprise_admin"))
        return org, user
