"""Demo filings (``manage.py seed_demo``), made through the services as a user would make them.

* the Ningbo logistics enterprise has a SUBMITTED filing waiting for review;
* the Hangzhou self-built platform has an APPROVED filing (approved by the demo reviewer): its qualification
  messages wait in the outbox, and in ``make run`` the worker delivers them to govmock, whose receipts fill
  the identifiers and turn the filing ACTIVE within seconds — nothing is fabricated here;
* the Yiwu seller has no filing yet, so the filing form can be tried from the start.
Idempotent: an organisation that already has a filing is left alone.
"""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from portal.models import Organisation, User
from portal.seeding import ENTERPRISES
from registration import services
from registration.choices import AttachmentKind, EntityType, ServiceScope, Subtype
from registration.validation.fields import resident_id_check_char


def _resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def _pdf(title: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, f"{title} - demo document")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile("licence.pdf", buffer.getvalue(), content_type="application/pdf")


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (235, 235, 235)).save(buffer, format="PNG")
    return SimpleUploadedFile("id-card.png", buffer.getvalue(), content_type="image/png")


def _attach(filing, by) -> None:
    services.attachment_add(
        filing=filing, by=by, kind=AttachmentKind.BUSINESS_LICENCE, upload=_pdf(filing.name_cn)
    )
    services.attachment_add(filing=filing, by=by, kind=AttachmentKind.LEGAL_REP_ID, upload=_png())


def _submitted(org, admin, *, entity_type, subtype, data):
    filing = services.filing_create_draft(
        owner=org, by=admin, entity_type=entity_type, subtype=subtype, data=data
    )
    _attach(filing, admin)
    return services.filing_submit(filing=filing, by=admin)


def _common(name_cn: str, phone: str, id17: str) -> dict:
    return {
        "legal_rep_name": name_cn,
        "legal_rep_id_type": "RESIDENT_ID",
        "legal_rep_id_no": _resident_id(id17),
        "contact_name": name_cn,
        "contact_phone": phone,
    }


def seed_registration() -> None:
    reviewer = User.objects.get(username="reviewer")
    platform = Organisation.objects.get(code=ENTERPRISES[0][0])
    service = Organisation.objects.get(code=ENTERPRISES[2][0])
    if not service.entity_filings.exists():
        _submitted(
            service,
            User.objects.get(username="service_admin"),
            entity_type=EntityType.SERVICE,
            subtype=Subtype.LOGISTICS,
            data={
                **_common("黄物流", "0574-87001234", "33020319800101123"),
                "contact_email": "service_admin@demo.zjcbec.example",
                "address": "浙江省宁波市北仑区港城大道1号",
                "service_scopes": [ServiceScope.LOGISTICS, ServiceScope.EXPRESS, ServiceScope.WAREHOUSING],
            },
        )
    if not platform.entity_filings.exists():
        filing = _submitted(
            platform,
            User.objects.get(username="platform_admin"),
            entity_type=EntityType.SELF_PLATFORM,
            subtype="",
            data={
                **_common("陈平台", "13800571234", "33010619850505321"),
                "contact_email": "platform_admin@demo.zjcbec.example",
                "address": "浙江省杭州市滨江区网商路99号",
                "is_vat_general_taxpayer": True,
                "optional_qualifications": ["TAX_REFUND_FILING"],
                "platform_urls": ["https://shop.yunfan-demo.example"],
                "registered_capital_cny": Decimal("10000000.00"),
            },
        )
        services.filing_accept(filing=filing, by=reviewer)
        # The departments answer through the real path: worker → govmock → receipts (make run).
        services.filing_approve(filing=filing, by=reviewer, note="演示数据 demo")
