"""Filings in each state, made through the services as users make them (CONVENTIONS: factories per state).

Also test documents (PDF, PNG, JPEG) and department receipts shaped as govmock sends them (protocol §2).
"""

import io
import itertools
import json
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from exchange.services import receipts_ingest
from registration import services
from registration.choices import AttachmentKind, EntityType, ServiceScope, Subtype
from registration.models import EntityFiling
from registration.validation.fields import resident_id_check_char

ID17 = "33010619850505321"
RESIDENT_ID = ID17 + resident_id_check_char(ID17)


def pdf_bytes(text: str = "licence") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 200, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def complete_data(entity_type=EntityType.APPLICATION, subtype=Subtype.ENTERPRISE, **overrides) -> dict:
    data = {
        "legal_rep_name": "张三",
        "legal_rep_id_type": "RESIDENT_ID",
        "legal_rep_id_no": RESIDENT_ID,
        "contact_name": "张三",
        "contact_phone": "13800571234",
        "contact_email": "contact@example.com",
        "address": "浙江省杭州市西湖区文三路1号",
        "registered_capital_cny": Decimal("1000000.00"),
        "is_vat_general_taxpayer": True,
    }
    if entity_type == EntityType.SELF_PLATFORM:
        data["platform_urls"] = ["https://shop.example.com"]
    if entity_type == EntityType.SERVICE:
        data["service_scopes"] = [ServiceScope.LOGISTICS]
    if subtype == Subtype.PAYMENT:
        data["payment_licence_no"] = "Z2007933000010"
    data.update(overrides)
    return data


def attach_required(filing, by) -> None:
    services.attachment_add(
        filing=filing,
        by=by,
        kind=AttachmentKind.BUSINESS_LICENCE,
        upload=upload("licence.pdf", pdf_bytes()),
    )
    services.attachment_add(
        filing=filing, by=by, kind=AttachmentKind.LEGAL_REP_ID, upload=upload("id.png", png_bytes())
    )


def draft(
    admin, entity_type=EntityType.APPLICATION, subtype=Subtype.ENTERPRISE, *, complete=True, **overrides
):
    data = complete_data(entity_type, subtype, **overrides) if complete else overrides
    filing = services.filing_create_draft(
        owner=admin.organisation, by=admin, entity_type=entity_type, subtype=subtype, data=data
    )
    if complete:
        attach_required(filing, admin)
    return filing


_providers = itertools.count(1)


def comprehensive_provider(reviewer):
    """The administrator of a new comprehensive service enterprise with an ACTIVE filing (rule E-7)."""
    from portal.identifiers import make_uscc
    from tests import factories

    org = factories.EnterpriseFactory(
        code=make_uscc("91", "330200", f"HP{next(_providers):06d}"), division_code="330200"
    )
    admin = factories.UserFactory(organisation=org, role="enterprise_admin")
    active(admin, reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.COMPREHENSIVE)
    return admin


def person_draft(provider_admin, **overrides) -> EntityFiling:
    """A complete natural-person seller filing (Wang Xiao'er, ``RESIDENT_ID``) started by its provider."""
    data = {
        **complete_data(),
        "name_cn": "王小二",
        "legal_rep_name": "王小二",
        "contact_name": "王小二",
        "division_code": "330106",
        **overrides,
    }
    filing = services.filing_create_draft(
        owner=provider_admin.organisation,
        by=provider_admin,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        data=data,
    )
    for kind, name, content in (
        (AttachmentKind.LEGAL_REP_ID, "id.png", png_bytes()),
        (AttachmentKind.AUTHORISATION_LETTER, "auth.pdf", pdf_bytes()),
    ):
        services.attachment_add(filing=filing, by=provider_admin, kind=kind, upload=upload(name, content))
    return filing


def submitted(admin, **kwargs) -> EntityFiling:
    return services.filing_submit(filing=draft(admin, **kwargs), by=admin)


def under_review(admin, reviewer, **kwargs) -> EntityFiling:
    return services.filing_accept(filing=submitted(admin, **kwargs), by=reviewer)


def returned(admin, reviewer, **kwargs) -> EntityFiling:
    filing = under_review(admin, reviewer, **kwargs)
    return services.filing_return(
        filing=filing,
        by=reviewer,
        reason_codes=["NAME_MISMATCH"],
        note="名称有误",
        comments=[{"field": "name_cn", "text": "请与营业执照一致"}],
    )


def approved(admin, reviewer, **kwargs) -> EntityFiling:
    return services.filing_approve(filing=under_review(admin, reviewer, **kwargs), by=reviewer)


IDENTIFIERS = {
    "commerce.ft_operator": {"record_no": "33000001"},
    "customs.registration": {"customs_code": "3301960001"},
    "ciq.enterprise_filing": {"ciq_code": "3300000001"},
    "tax.refund_filing": {"tax_filing_no": "33202600000001"},
    "safe.directory": {"directory_no": "332026000001", "fx_class": "A"},
    "eport.card": {"dxp_id": "DXPENT0000000001"},
}


def receipt_item(message, status: str = "REGISTERED", data: dict | None = None, info: str = "") -> dict:
    """One receipt item exactly as govmock pushes it (protocol §2), for ``receipts_ingest``."""
    if data is None:
        data = IDENTIFIERS.get(message.message_type, {}) if status == "REGISTERED" else {}
    raw = {
        "guid": message.message_id,
        "message_id": str(uuid.uuid4()).upper(),
        "message_type": message.message_type,
        "business_key": message.business_key,
        "status": status,
        "info": info or status.lower(),
        "data": data,
        "time": "2026-11-27T09:00:00+08:00",
    }
    return {
        "seq": 1,
        "receipt_id": str(uuid.uuid4()).upper(),
        "department": message.department,
        "message_id": raw["message_id"],
        "node_guid": message.message_id,
        "receipt_type": f"{message.message_type}.receipt",
        "content_type": "application/json",
        "raw": json.dumps(raw, ensure_ascii=False),
        "created_at": "2026-11-27T01:00:00+00:00",
    }


def answer_all(filing, status: str = "REGISTERED") -> dict:
    """Every qualification message of the filing answered by its department, including the ones a receipt
    releases (the E-Port card goes out once the customs code is known)."""
    answered: set[int] = set()
    result: dict = {}
    while True:
        tasks = filing.qualifications.exclude(message=None).exclude(message_id__in=answered)
        items = [receipt_item(t.message, status) for t in tasks.select_related("message")]
        if not items:
            return result
        answered.update(t.message_id for t in tasks)
        result = receipts_ingest(items, via="callback")


def active(admin, reviewer, **kwargs) -> EntityFiling:
    filing = approved(admin, reviewer, **kwargs)
    answer_all(filing)
    filing.refresh_from_db()
    assert filing.status == "ACTIVE", filing.status
    return filing
