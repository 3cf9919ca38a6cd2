#!/usr/bin/env python
"""Certificate rendering time (ADR 0019): is one certificate quick enough to make on each download?

Renders the filing certificate in-process, without a database (a stand-in filing with six qualifications),
first once in a fresh process (reading the 9.5 MB font is part of that first one) and then ``--rounds``
times, with ordinary names and with the longest the forms accept (100 Chinese characters, 200 Latin ones).

    python bench/certificate.py [--rounds 50]

Prints the first render, then median and p90 milliseconds and the PDF's size for each case.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUALIFICATIONS = {
    "FT_OPERATOR": "33000001",
    "CUSTOMS_REG": "3301960001",
    "CIQ_FILING": "3300000001",
    "TAX_REFUND_FILING": "33202600000001",
    "SAFE_DIRECTORY": "332026000001",
    "EPORT_CARD": "DXPENT0000000001",
}


LONG_NAME_CN = "浙江义乌国际小商品城跨境电子商务供应链管理与数字贸易综合服务暨海外仓储物流一体化运营有限公司"
LONG_NAME_EN = (
    "Zhejiang Yiwu International Commodity City Cross-border E-commerce Supply Chain Management Co Ltd "
)


class _Tasks(list):
    """Just enough of a queryset for ``filing.qualifications.filter(...).order_by(...)``."""

    def filter(self, **_conditions):
        return self

    def order_by(self, *_fields):
        return self


def _filing(name_cn: str, name_en: str) -> SimpleNamespace:
    return SimpleNamespace(
        filing_no="ZJKJ2026030200000001",
        version=2,
        name_cn=name_cn,
        name_en=name_en,
        uscc="91330782MA2EXAMPL8",
        org_code="",
        role_label="电商应用企业 / 企业法人",
        division_code="330782",
        activated_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        fx_class="A",
        verify_token="x" * 43,
        qualifications=_Tasks(SimpleNamespace(code=c, identifier=i) for c, i in QUALIFICATIONS.items()),
    )


def _ms(render, filing, rounds: int) -> tuple[list[float], int]:
    durations, size = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(render(filing))
        durations.append((time.perf_counter() - started) * 1000)
    return durations, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    os.environ.update({"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "portal.settings"})
    import django

    django.setup()
    from registration.certificate import render

    ordinary = _filing(
        "义乌市小商品跨境电子商务有限公司", "Yiwu Small Commodities Cross-border E-commerce Co Ltd"
    )
    longest = _filing((LONG_NAME_CN * 2)[:100], (LONG_NAME_EN * 2)[:200])
    first, size = _ms(render, ordinary, 1)
    print(f"first render in a fresh process (font read included): {first[0]:.0f} ms, {size} bytes")
    for label, filing in (("ordinary names", ordinary), ("longest names", longest)):
        durations, size = _ms(render, filing, args.rounds)
        p90 = statistics.quantiles(durations, n=10)[-1]
        print(f"{label}: median {statistics.median(durations):.0f} ms, p90 {p90:.0f} ms, {size} bytes")


if __name__ == "__main__":
    main()
