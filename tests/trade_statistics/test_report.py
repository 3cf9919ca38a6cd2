"""The tables built from the aggregates: every month, city, role and department listed (zeros included),
labels in the user's language, averages from sums, the plan's target, city names with or without the
division table."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from portal import divisions
from trade_statistics import periods, report
from trade_statistics.selectors import Dashboard
from trade_statistics.targets import PLAN_2014

MONTHS = periods.month_starts(date(2026, 2, 10))


def _dashboard(**figures) -> Dashboard:
    values = {
        "generated_at": timezone.now(),
        "months": MONTHS,
        "operators_by_role": [],
        "operators_by_city": [],
        "submitted": {},
        "decisions": {},
        "qualifications": [],
        "messages_sent": {},
        "receipts_received": {},
        **figures,
    }
    return Dashboard(**values)


def test_the_window_is_the_last_twelve_months_across_a_year_end():
    assert MONTHS[0] == date(2025, 3, 1)
    assert MONTHS[-1] == date(2026, 2, 1)
    assert len(MONTHS) == len(set(MONTHS)) == 12
    assert periods.start_of(MONTHS[0]) == datetime(2025, 3, 1, tzinfo=timezone.get_current_timezone())
    assert periods.month_starts(date(2026, 12, 31))[0] == date(2026, 1, 1)


def test_ratio_rounds_half_up_and_has_no_value_without_a_denominator():
    assert report.ratio(7, 2) == Decimal("3.5")
    assert report.ratio(1, 3, scale=100) == Decimal("33.3")
    assert report.ratio(1, 8, scale=100) == Decimal("12.5")
    assert report.ratio(1, 16) == Decimal("0.1")  # 0.0625 → 0.1 (half up)
    assert report.ratio(0, 0) is None
    assert report.ratio(None, 4) == Decimal("0.0")


def test_monthly_table_lists_every_month_and_averages_from_sums():
    dash = _dashboard(
        submitted={date(2025, 3, 1): 4},
        decisions={
            date(2025, 3, 1): {"approved": 2, "rejected": 1, "decisions": 3, "working_days": 10},
            date(2026, 2, 1): {"approved": 1, "rejected": 0, "decisions": 1, "working_days": 2},
        },
    )
    table = report.filings_per_month(dash)
    assert [row[0] for row in table.rows] == [report.month_label(m) for m in MONTHS]
    assert table.rows[0] == ["2025-03", 4, 2, 1, Decimal("3.3")]
    assert table.rows[1] == ["2025-04", 0, 0, 0, None]
    assert table.rows[-1] == ["2026-02", 0, 1, 0, Decimal("2.0")]
    # 12 working days over 4 decisions: the mean of all decisions, not the mean of the monthly means.
    assert table.total[1:] == [4, 3, 1, Decimal("3.0")]


def test_operator_tables_list_every_role_and_every_prefecture_with_zeros():
    dash = _dashboard(
        operators_by_role=[
            {"entity_type": "APPLICATION", "subtype": "ENTERPRISE", "count": 3},
            {"entity_type": "APPLICATION", "subtype": "NATURAL_PERSON", "count": 2},
            {"entity_type": "SERVICE", "subtype": "PAYMENT", "count": 1},
        ],
        operators_by_city=[
            {"city": "3307", "count": 4},
            {"city": "3399", "count": 1},
            {"city": "", "count": 1},
        ],
    )
    with translation.override("en"):
        by_type = report.operators_by_type(dash)
        assert by_type.rows == [
            ["Self-built platform enterprise", 0],
            ["E-commerce application enterprise", 5],
            ["E-commerce service enterprise", 1],
        ]
        assert by_type.total == ["Total", 6]
        by_subtype = report.operators_by_subtype(dash)
        assert len(by_subtype.rows) == 9  # 1 + 3 + 5 roles of DOMAIN §1.1
        assert ["E-commerce application enterprise", "Natural person seller (agent-served)", 2] in [
            [str(c) for c in row[:2]] + row[2:] for row in by_subtype.rows
        ]
        by_city = report.operators_by_city(dash)
        names = [str(row[0]) for row in by_city.rows]
        assert names[:11] == [
            "Hangzhou",
            "Ningbo",
            "Wenzhou",
            "Jiaxing",
            "Huzhou",
            "Shaoxing",
            "Jinhua",
            "Quzhou",
            "Zhoushan",
            "Taizhou",
            "Lishui",
        ]
        assert by_city.rows[6] == ["Jinhua", "330700", 4]
        assert [row[1:] for row in by_city.rows[11:]] == [["", 1], ["3399", 1]]
        assert [str(row[0]) for row in by_city.rows[11:]] == ["No division code", "Not in the division table"]
        assert by_city.total[-1] == 6
    with translation.override("zh-hans"):
        assert report.operators_by_city(dash).rows[6][0] == "金华市"


def test_qualification_and_traffic_tables_list_every_department():
    dash = _dashboard(
        qualifications=[
            {"department": "customs", "requested": 3, "done": 2, "pending": 0, "refused": 0, "failed": 1}
        ],
        messages_sent={("safe", date(2026, 2, 1)): 7, ("customs", date(2025, 3, 1)): 1},
    )
    with translation.override("en"):
        qualifications = report.qualifications_by_department(dash)
        assert [str(r[0]) for r in qualifications.rows] == [
            "Customs",
            "Inspection and quarantine",
            "Foreign exchange administration (SAFE)",
            "Tax bureau",
            "Commerce department",
        ]
        assert qualifications.rows[0][1:] == [3, 2, 0, 0, 1, Decimal("66.7")]
        assert qualifications.rows[3][1:] == [0, 0, 0, 0, 0, None]
        assert qualifications.total[1:] == [3, 2, 0, 0, 1, Decimal("66.7")]
        sent = report.messages_sent(dash)
        assert [str(c) for c in sent.columns][1:] == [str(r[0]) for r in qualifications.rows] + ["Total"]
        assert sent.rows[0] == ["2025-03", 1, 0, 0, 0, 0, 1]
        assert sent.rows[-1] == ["2026-02", 0, 0, 7, 0, 0, 7]
        assert sent.total == ["Total", 1, 0, 7, 0, 0, 8]


def test_the_plans_target_is_usd_50_billion_a_year_by_2017():
    assert PLAN_2014.value_usd == Decimal("50000000000")
    assert PLAN_2014.year == 2017
    assert PLAN_2014.instrument == "浙政办发〔2014〕59号"
    with translation.override("en"):
        assert str(PLAN_2014.amount) == "USD 50 billion"
    with translation.override("zh-hans"):
        assert str(PLAN_2014.amount) == "500亿美元"
        assert "注册地在浙江省" in str(PLAN_2014.measure)


def test_city_names_come_from_the_division_table():
    table = divisions.table()
    for city in divisions.prefectures():
        assert table[city.code].level == "prefecture"
    assert len(divisions.prefectures()) == 11


def test_operators_by_city_names_each_prefecture_with_its_count():
    dash = _dashboard(operators_by_city=[{"city": "3302", "count": 2}])
    with translation.override("zh-hans"):
        assert report.operators_by_city(dash).rows[1] == ["宁波市", "330200", 2]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_sheet_name_fits_a_spreadsheet_tab(language):
    with translation.override(language):
        built = report.build(_dashboard())
        names = [str(t.sheet) for t in built.tables]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
