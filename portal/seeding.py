"""Demo data: the shell seeds organisations and users; domain apps register seeders for their own data.

Everything here is idempotent (get-or-create by natural keys) and for demonstrations only; the passwords
are printed by ``seed_demo`` and documented in the README as demo-only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group

from portal.choices import OrganisationKind, Role
from portal.identifiers import make_uscc
from portal.models import Organisation, User

DEMO_PASSWORD = "Zj-demo-2026"  # noqa: S105 - demo only, printed and documented as such

_seeders: list[tuple[int, Callable]] = []


def register_seeder(fn: Callable, order: int = 100) -> None:
    if all(existing is not fn for _, existing in _seeders):
        _seeders.append((order, fn))


def seeders() -> list[Callable]:
    return [fn for _, fn in sorted(_seeders, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    org_code: str
    full_name: str


GOVERNMENT = [
    (
        OrganisationKind.OPERATOR,
        "ZJ-OPERATOR",
        "浙江省跨境电子商务综合服务平台运营中心",
        "Zhejiang CBEC Platform Operations Centre",
        "330000",
    ),
    (
        OrganisationKind.COMMERCE,
        "ZJ-COMMERCE",
        "浙江省商务厅",
        "Zhejiang Provincial Department of Commerce",
        "330000",
    ),
    (OrganisationKind.CUSTOMS, "CUSTOMS-2900", "杭州海关", "Hangzhou Customs", "330100"),
    (
        OrganisationKind.CIQ,
        "ZJ-CIQ",
        "浙江出入境检验检疫局",
        "Zhejiang Entry-Exit Inspection and Quarantine Bureau",
        "330000",
    ),
    (OrganisationKind.SAFE, "SAFE-ZJ", "国家外汇管理局浙江省分局", "SAFE Zhejiang Branch", "330000"),
    (
        OrganisationKind.TAX,
        "ZJ-TAX",
        "浙江省国家税务局",
        "Zhejiang Provincial State Taxation Bureau",
        "330000",
    ),
    (
        OrganisationKind.STATISTICS,
        "ZJ-STATS",
        "浙江省统计局",
        "Zhejiang Provincial Bureau of Statistics",
        "330000",
    ),
]

ENTERPRISES = [
    (
        make_uscc("91", "330100", "MA2YFN01"),
        "杭州云帆跨境电子商务有限公司",
        "Hangzhou Yunfan Cross-border E-commerce Co., Ltd.",
        "330100",
    ),
    (
        make_uscc("91", "330782", "MA28F3K1"),
        "义乌市晨星电子商务有限公司",
        "Yiwu Chenxing E-commerce Co., Ltd.",
        "330782",
    ),
    (
        make_uscc("91", "330200", "MA2GTL01"),
        "宁波港通国际物流有限公司",
        "Ningbo Gangtong International Logistics Co., Ltd.",
        "330200",
    ),
]

ACCOUNTS = (
    DemoAccount("sysadmin", Role.SYSTEM_ADMIN, "ZJ-OPERATOR", "平台管理员"),
    DemoAccount("reviewer", Role.COMMERCE_REVIEWER, "ZJ-COMMERCE", "王审核"),
    DemoAccount("supervisor", Role.COMMERCE_SUPERVISOR, "ZJ-COMMERCE", "李处长"),
    DemoAccount("customs", Role.CUSTOMS_OFFICER, "CUSTOMS-2900", "赵关员"),
    DemoAccount("ciq", Role.INSPECTION_OFFICER, "ZJ-CIQ", "钱检验"),
    DemoAccount("safe", Role.FOREX_OFFICER, "SAFE-ZJ", "孙外汇"),
    DemoAccount("tax", Role.TAX_OFFICER, "ZJ-TAX", "周税务"),
    DemoAccount("stats", Role.STATISTICS_OFFICIAL, "ZJ-STATS", "吴统计"),
    DemoAccount("platform_admin", Role.ENTERPRISE_ADMIN, ENTERPRISES[0][0], "陈平台"),
    DemoAccount("seller_admin", Role.ENTERPRISE_ADMIN, ENTERPRISES[1][0], "刘卖家"),
    DemoAccount("service_admin", Role.ENTERPRISE_ADMIN, ENTERPRISES[2][0], "黄物流"),
)


def seed_shell() -> list[DemoAccount]:
    for kind, code, name_cn, name_en, division in GOVERNMENT:
        Organisation.objects.update_or_create(
            code=code,
            defaults={"kind": kind, "name_cn": name_cn, "name_en": name_en, "division_code": division},
        )
    for code, name_cn, name_en, division in ENTERPRISES:
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "kind": OrganisationKind.ENTERPRISE,
                "name_cn": name_cn,
                "name_en": name_en,
                "division_code": division,
            },
        )
    for account in ACCOUNTS:
        org = Organisation.objects.get(code=account.org_code)
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "organisation": org,
                "full_name": account.full_name,
                "email": f"{account.username}@demo.zjcbec.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=account.role.value))
    return list(ACCOUNTS)  # a copy: seed_demo adds the apps' logins to it
