"""The loader: shipped files, idempotency, editions, malformed files, the full-table path, the migration."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from customs.models import Country, HSCode, ReferenceListInfo, SupervisedSite, Unit
from customs.reference_lists import SPECS
from customs.selectors import reference as refs
from customs.services.reference import reference_load
from customs.services.reference_files import ReferenceFileError
from portal.models import AuditEvent
from tests.customs.conftest import HS_HEADER

pytestmark = pytest.mark.django_db

migration = importlib.import_module("customs.migrations.0002_load_reference_data")


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here; ``test_problems_read_in_chinese_by_default`` checks Chinese."""
    with translation.override("en"):
        yield


def test_migrate_loads_every_shipped_list():
    assert set(ReferenceListInfo.objects.values_list("list_name", flat=True)) == {s.name for s in SPECS}
    assert Country.objects.get(code="143").iso2 == "TW"
    assert Country.objects.get(code="142").iso3 == "CHN"
    assert Unit.objects.get(code="035").name_cn == "千克"
    assert SupervisedSite.objects.get(code="299102").customs_office == "2991"
    toy = HSCode.objects.get(code="9503008900")
    assert (toy.unit1, toy.unit2, toy.refund_rate) == ("007", "035", Decimal("0.1300"))
    assert "customs/data" not in ReferenceListInfo.objects.get(list_name="hs").file_name
    assert "hs.56ata.com" in ReferenceListInfo.objects.get(list_name="hs").source


def test_data_migration_reloads_idempotently_and_unloads():
    counts = {s.model_name: apps.get_model("customs", s.model_name).objects.count() for s in SPECS}
    migration.load(apps, None)
    assert {name: apps.get_model("customs", name).objects.count() for name in counts} == counts
    migration.unload(apps, None)
    assert HSCode.objects.count() == 0 and ReferenceListInfo.objects.count() == 0
    migration.load(apps, None)
    assert HSCode.objects.count() == counts["HSCode"]


def test_loading_the_same_file_twice_changes_nothing(write_csv):
    path = write_csv("hs.csv", HS_HEADER + "6109100021,棉制针织男T恤,,011,035,13%,,,,2022-01-01,\n")
    first = reference_load(only=["hs"], files={"hs": path})[0]
    second = reference_load(only=["hs"], files={"hs": path})[0]
    assert (first.created, first.updated) == (1, 0)
    assert (second.created, second.updated, second.unchanged, second.closed) == (0, 0, 1, 0)
    assert HSCode.objects.filter(code="6109100021").count() == 1


def test_a_changed_row_is_updated_in_place(write_csv):
    reference_load(
        only=["hs"], files={"hs": write_csv("a.csv", HS_HEADER + "6109100021,旧名,,011,,,,,,2022-01-01,\n")}
    )
    result = reference_load(
        only=["hs"],
        files={"hs": write_csv("b.csv", HS_HEADER + "6109100021,新名,,011,035,0.13,,4,,2022-01-01,\n")},
    )[0]
    row = HSCode.objects.get(code="6109100021")
    assert result.updated == 1
    assert (row.name_cn, row.unit2, row.refund_rate, row.needs_licence) == (
        "新名",
        "035",
        Decimal("0.13"),
        True,
    )


def test_a_new_edition_closes_the_previous_one_the_day_before(write_csv):
    reference_load(
        only=["hs"],
        files={
            "hs": write_csv("2017.csv", HS_HEADER + "8541401000,发光二极管,,007,035,0.13,,,,2017-01-01,\n")
        },
    )
    new = write_csv("2022.csv", HS_HEADER + "8541401000,发光二极管（新版）,,007,035,0.13,,,,2022-01-01,\n")
    result = reference_load(only=["hs"], files={"hs": new})[0]
    old, current = HSCode.objects.filter(code="8541401000").order_by("valid_from")
    assert result.closed == 1
    assert (old.valid_to, current.valid_to) == (date(2021, 12, 31), None)


def test_close_missing_retires_codes_a_complete_edition_drops(write_csv):
    reference_load(
        only=["hs"],
        files={"hs": write_csv("2017.csv", HS_HEADER + "8541401000,发光二极管,,007,,,,,,2017-01-01,\n")},
    )
    new = write_csv("2022.csv", HS_HEADER + "8541410000,发光二极管（LED）,,007,,,,,,2022-01-01,\n")
    reference_load(only=["hs"], files={"hs": new})
    assert HSCode.objects.get(code="8541401000").valid_to is None  # without the flag, nothing else is closed
    reference_load(only=["hs"], files={"hs": new}, close_missing=True)
    assert HSCode.objects.get(code="8541401000").valid_to == date(2021, 12, 31)
    # a shipped row that starts the same day as the new edition cannot end before it starts: left alone
    assert HSCode.objects.get(code="9503008900").valid_to is None


def test_a_code_valid_in_2021_and_replaced_in_2022(write_csv):
    rows = (
        "6109100021,棉制针织男T恤衫,,011,035,0.13,,,,2017-01-01,\n"
        "6109100000,棉制针织或钩编T恤衫、汗衫及其他背心,,011,035,0.13,,,,2022-01-01,\n"
    )
    reference_load(only=["hs"], files={"hs": write_csv("t.csv", HS_HEADER + rows)})
    reference_load(only=["hs"], files={"hs": write_csv("t2.csv", HS_HEADER + rows)}, close_missing=True)
    assert HSCode.objects.get(code="6109100021").valid_to is None  # both listed: nothing closed
    reference_load(
        only=["hs"],
        files={"hs": write_csv("t3.csv", HS_HEADER + rows.splitlines()[1] + "\n")},
        close_missing=True,
    )
    assert refs.code_valid("hs", "6109100021", on=date(2021, 6, 30))
    assert not refs.code_valid("hs", "6109100021", on=date(2022, 1, 1))
    assert refs.code_valid("hs", "6109100000", on=date(2022, 1, 1))
    assert not refs.code_valid("hs", "6109100000", on=date(2021, 12, 31))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("610910002,短码,,011,,,,,,2022-01-01,", "not a valid code"),
        ("7700000000,第77章,,011,,,,,,2022-01-01,", "not a valid code"),
        ("6109100021,,,011,,,,,,2022-01-01,", "name_cn is empty"),
        ("6109100021,T恤,,011,,abc,,,,2022-01-01,", "not a rate"),
        ("6109100021,T恤,,011,,,,,,2022-13-01,", "not a date"),
        ("6109100021,T恤,,999,,,,,,2022-01-01,", "not in the Unit list"),
        ("6109100021,T恤,,011,,,,,,2022-01-01,2021-01-01", "before valid_from"),
        ("6109100021,T恤,,011,,,,,,2022-01-01,,extra", "more values"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_line(write_csv, line, message):
    good = "6109100022,T恤,,011,,,,,,2022-01-01,\n"
    path = write_csv("bad.csv", HS_HEADER + good + line + "\n")
    before = HSCode.objects.count()
    with pytest.raises(ReferenceFileError) as raised:
        reference_load(only=["hs"], files={"hs": path})
    assert "line 5" in str(raised.value) and message in str(raised.value)
    assert HSCode.objects.count() == before  # the good row was not loaded either


def test_a_file_without_a_required_column_is_refused(write_csv):
    path = write_csv("bad.csv", "code,name_cn,valid_from\n6109100021,T恤,2022-01-01\n")
    with pytest.raises(ReferenceFileError, match=r"line 1: .*unit1"):
        reference_load(only=["hs"], files={"hs": path})


def test_a_duplicate_edition_in_one_file_is_refused(write_csv):
    row = "6109100021,T恤,,011,,,,,,2022-01-01,\n"
    with pytest.raises(ReferenceFileError, match=r"line 5: .*already on line 4"):
        reference_load(only=["hs"], files={"hs": write_csv("dup.csv", HS_HEADER + row + row)})


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HS_HEADER + "6109100021,棉制T恤,,011,,,,,,2022-01-01,\n").encode("gbk"))
    with pytest.raises(ReferenceFileError, match="not UTF-8"):
        reference_load(only=["hs"], files={"hs": path})


def test_the_full_table_loads_without_a_query_per_row(write_csv, django_assert_max_num_queries):
    rows = "".join(f"{9000000000 + i:010d},商品{i},,035,,0.13,,,,2022-01-01,\n" for i in range(3000))
    path = write_csv("full.csv", HS_HEADER + rows)
    # Inserts go in batches; SQLite caps a statement at 999 parameters (~70 rows here); PostgreSQL: 1,000.
    with django_assert_max_num_queries(3000 // 60 + 15):
        result = reference_load(only=["hs"], files={"hs": path})[0]
    assert result.created == 3000
    with django_assert_max_num_queries(15):
        assert reference_load(only=["hs"], files={"hs": path})[0].unchanged == 3000


def test_the_command_reports_counts_and_audits(write_csv, capsys):
    path = write_csv("hs.csv", HS_HEADER + "6109100021,棉制针织男T恤,,011,035,13%,,,,2022-01-01,\n")
    call_command("load_customs_reference", "--only", "hs", "--file", str(path))
    out = capsys.readouterr().out
    assert "hs: 1 rows from hs.csv" in out and "1 added" in out
    event = AuditEvent.objects.filter(target_id=str(ReferenceListInfo.objects.get(list_name="hs").pk)).latest(
        "pk"
    )
    assert event.payload["created"] == 1 and event.actor_label == "system:command"


def test_the_command_refuses_a_malformed_file_with_the_line(write_csv):
    path = write_csv("hs.csv", HS_HEADER + "12345,坏码,,011,,,,,,2022-01-01,\n")
    with pytest.raises(CommandError, match=r"hs\.csv was not loaded: line 4"):
        call_command("load_customs_reference", "--only", "hs", "--file", str(path))


def test_the_command_needs_one_list_for_a_file():
    with pytest.raises(CommandError, match="--only"):
        call_command("load_customs_reference", "--file", "x.csv")


def test_problems_read_in_chinese_by_default(write_csv):
    path = write_csv("hs.csv", HS_HEADER + "12345,坏码,,011,,,,,,2022-01-01,\n")
    with translation.override("zh-hans"), pytest.raises(ReferenceFileError) as raised:
        reference_load(only=["hs"], files={"hs": path})
    assert str(raised.value) == "hs.csv未导入：第4行：代码“12345”格式不正确（应为10位数字，章号01至97）。"
