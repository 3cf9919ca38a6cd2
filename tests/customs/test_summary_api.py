"""``/api/v1/customs/summary-declarations/`` and ``/api/v1/customs/export-declarations/``: every route through
the kit, then what the kit does not say (filters, field errors, the groups' values, the certificate)."""

import itertools
from datetime import date, datetime

import pytest
from django.utils import timezone

from customs.services.declarations import declaration_record
from customs.services.summaries import summary_preview, summary_submit
from customs.services.summary_jobs import summary_submit_start
from portal.choices import Role
from registration.models import EntityFiling
from tests.customs.summary_kit import SHANGHAI, closed_list, row
from tests.kit.api import Action, ScopedApiTests

pytestmark = pytest.mark.django_db
ADMIN, OPERATOR, OFFICER = Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR, Role.CUSTOMS_OFFICER
_months = itertools.count(0)
_entries = itertools.count(1)
_codes = itertools.count(1)

SUMMARY_FIELDS = {
    "id",
    "owner",
    "filer",
    "month",
    "status",
    "cop_no",
    "sum_no",
    "customs_code",
    "summary_flag",
    "item_name_flag",
    "item_limit",
    "list_count",
    "declaration_count",
    "total_value",
    "deadline",
    "submitted_at",
    "customs_status",
    "customs_info",
}
DECLARATION_FIELDS = {
    "id",
    "owner",
    "summary",
    "entry_id",
    "seq",
    "dec_state",
    "customs_code",
    "port_code",
    "traf_mode",
    "country",
    "ebc_code",
    "owner_code",
    "gross_weight",
    "net_weight",
    "pack_no",
    "total_value",
    "currency",
    "declared_on",
    "exported_on",
    "certificate_issued_at",
    "pushed_to_tax_at",
    "certificate_available",
}
JOB_FIELDS = {
    "id",
    "owner",
    "filer",
    "action",
    "month",
    "summary",
    "status",
    "message",
    "created_at",
    "started_at",
    "finished_at",
    "progress",
}
GROUP_SHAPE = {
    "keys",
    "lists",
    "gross_weight",
    "net_weight",
    "pack_no",
    "total_value",
    "declaration_count",
    "items",
}


def in_standing(org):
    """Give ``org`` an ACTIVE filing with a customs code and a DXP id, once."""
    if not EntityFiling.objects.filter(owner=org, status="ACTIVE").exists():
        n = next(_codes)
        EntityFiling.objects.create(
            owner=org,
            entity_type="APPLICATION",
            subtype="ENTERPRISE",
            status="ACTIVE",
            filing_no=f"ZJAPI{n:06d}",
            name_cn=org.name_cn,
            uscc=org.code,
            customs_code=f"33019{n:05d}",
            dxp_id=f"DXPENTAPI{n:07d}",
            activated_at=timezone.now(),
        )
    return org


def a_month() -> date:
    """A different past month for each summary (one preview per consignor and month)."""
    k = next(_months)
    return date(2023 - k // 12, 12 - k % 12, 1)


def previewed(owner, month=None):
    org = in_standing(owner.organisation)
    month = month or a_month()
    closed_list(
        org,
        row(),
        row(gcode="9503008900", unit1="007"),
        closed_at=datetime.combine(month, datetime.min.time(), tzinfo=SHANGHAI).replace(day=10),
    )
    return summary_preview(consignor=org, month=month, by=owner, today=date(2026, 1, 5))


def submitted(kit, summary):
    return summary_submit(summary=summary, by=kit.owner)


class TestSummaryDeclarationsApi(ScopedApiTests):
    url = "/api/v1/customs/summary-declarations/"
    fields = SUMMARY_FIELDS
    readers = (OFFICER,)
    hidden_from = (Role.TAX_OFFICER,)
    actions = (
        Action(
            "preview",
            roles=(ADMIN, OPERATOR),
            forbidden=(OFFICER,),
            data=lambda kit, summary: {"month": f"{summary.period:%Y-%m}"},
            always_legal="previewing a month again refreshes its preview; nothing waiting is a 400",
            status=202,
            shape=frozenset(JOB_FIELDS),
            expect={"action": "preview", "status": "QUEUED"},
        ),
        Action("groups", method="get", many=True, shape=GROUP_SHAPE),
        Action(
            "submit",
            roles=(ADMIN, OPERATOR),
            forbidden=(OFFICER,),
            illegal=submitted,
            status=202,
            shape=frozenset(JOB_FIELDS),
            expect={"action": "submit", "status": "QUEUED"},
        ),
        Action(
            "discard", roles=(ADMIN,), forbidden=(OFFICER,), illegal=submitted, expect={"status": "DISCARDED"}
        ),
    )

    def make(self, owner):
        return previewed(owner)

    def make_read(self, owner):  # officers read what was sent, not an enterprise's previews
        return submitted(self, previewed(owner))


class TestSummaryJobsApi(ScopedApiTests):
    url = "/api/v1/customs/summary-jobs/"
    fields = JOB_FIELDS
    readers = (OFFICER,)
    hidden_from = (Role.TAX_OFFICER,)

    def make(self, owner):
        return summary_submit_start(summary=previewed(owner), by=owner)


def declared(owner):
    summary = summary_submit(summary=previewed(owner), by=owner)
    lists = list(summary.lists.all())
    entry_id = f"2901{2025:04d}{next(_entries):010d}"
    return declaration_record(
        summary=summary, result={"entryId": entry_id, "items": [{"invtNo": x.invt_no} for x in lists]}
    )


class TestExportDeclarationsApi(ScopedApiTests):
    url = "/api/v1/customs/export-declarations/"
    fields = DECLARATION_FIELDS
    detail_fields = DECLARATION_FIELDS | {"items", "lists"}
    readers = (OFFICER,)
    hidden_from = (Role.TAX_OFFICER,)
    actions = (Action("certificate", method="get", content_type="application/pdf"),)

    def make(self, owner):
        return declared(owner)


# --- what the kit does not say ------------------------------------------------------------------------------
@pytest.fixture
def api(api_as):
    return api_as


def test_preview_answers_field_errors_in_chinese(api, enterprise_admin):
    in_standing(enterprise_admin.organisation)
    client = api(enterprise_admin)
    bad = client.post("/api/v1/customs/summary-declarations/preview/", {"month": "2025-13"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "month"
    empty = client.post(
        "/api/v1/customs/summary-declarations/preview/",
        {"month": "2023-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert empty.status_code == 400 and empty.json()["field"] == "month"
    assert "2023-01" in empty.json()["message"]


def test_groups_and_filters(api, enterprise_admin):
    summary = previewed(enterprise_admin, date(2023, 1, 1))
    client = api(enterprise_admin)
    (group,) = client.get(f"/api/v1/customs/summary-declarations/{summary.pk}/groups/").json()
    assert group["lists"] == 1 and [i["gcode"] for i in group["items"]] == ["6109100010", "9503008900"]
    assert client.get("/api/v1/customs/summary-declarations/?month=2023-01").json()["count"] == 1
    assert client.get("/api/v1/customs/summary-declarations/?month=2023-02").json()["count"] == 0
    assert client.get("/api/v1/customs/summary-declarations/?status=SUBMITTED").json()["count"] == 0


def test_declaration_detail_lists_items_and_lists(api, enterprise_admin):
    declaration = declared(enterprise_admin)
    client = api(enterprise_admin)
    body = client.get(f"/api/v1/customs/export-declarations/{declaration.pk}/").json()
    assert len(body["items"]) == 2 and len(body["lists"]) == 1 and body["certificate_available"]
    assert (
        client.get(f"/api/v1/customs/export-declarations/?entry_id={declaration.entry_id}").json()["count"]
        == 1
    )
    assert client.get("/api/v1/customs/export-declarations/?certificate=false").json()["count"] == 0
    pdf = client.get(f"/api/v1/customs/export-declarations/{declaration.pk}/certificate/")
    assert pdf.content.startswith(b"%PDF") and b"/FontFile2" in pdf.content


def test_the_schema_documents_both_endpoints(api, enterprise_admin):
    schema = api(enterprise_admin).get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/customs/summary-declarations/preview/" in paths
    assert "/api/v1/customs/export-declarations/{id}/certificate/" in paths
