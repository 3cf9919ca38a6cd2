"""The bilingual certificate and its public verification page (status, name, number; nothing private)."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from registration import services
from registration.choices import FilingStatus
from tests.registration import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(enterprise_admin, reviewer):
    return builders.active(enterprise_admin, reviewer)


def _pdf(client, filing) -> PdfReader:
    response = client.get(f"/registration/filings/{filing.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_certificate_pdf_carries_number_identifiers_and_a_qr_link(client, filing, enterprise_admin):
    client.force_login(enterprise_admin)
    reader = _pdf(client, filing)
    text = reader.pages[0].extract_text()
    assert filing.filing_no in text
    assert filing.uscc in text
    assert filing.customs_code in text
    assert filing.dxp_id in text
    assert "Cross-border E-commerce Operating Entity Filing Certificate" in text
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    targets = [link["/A"]["/URI"] for link in links if "/A" in link]
    expected = f"{settings.SITE_URL}/registration/verify/{filing.verify_token}/"
    assert expected in targets
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("STSong-Light" in name for name in fonts)  # Chinese set in the built-in CID font


def test_certificate_only_for_active_filings_and_people_who_see_them(
    client, filing, enterprise_admin, other_admin, reviewer
):
    client.force_login(other_admin)
    assert client.get(f"/registration/filings/{filing.pk}/certificate.pdf").status_code == 404
    client.force_login(reviewer)
    assert client.get(f"/registration/filings/{filing.pk}/certificate.pdf").status_code == 200
    services.filing_suspend(filing=filing, by=reviewer, reason="核查")
    client.force_login(enterprise_admin)
    assert client.get(f"/registration/filings/{filing.pk}/certificate.pdf").status_code == 404


def test_verification_page_follows_the_status_at_once(client, filing, reviewer, supervisor):
    url = f"/registration/verify/{filing.verify_token}/"
    client.cookies["portal_language"] = "en"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["result"].state == "VALID"
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    services.filing_suspend(filing=filing, by=reviewer, reason="涉嫌侵权")
    page = client.get(url)
    assert page.context["result"].state == "SUSPENDED"
    assert 'data-state="SUSPENDED"' in page.content.decode()
    services.filing_revoke(filing=filing, by=supervisor, reason="注销")
    assert client.get(url).context["result"].state == "REVOKED"


def test_verification_page_shows_nothing_private(client, filing):
    text = client.get(f"/registration/verify/{filing.verify_token}/").content.decode()
    assert filing.name_cn in text
    assert filing.filing_no in text
    for private in (
        filing.uscc,
        filing.legal_rep_name,
        filing.legal_rep_id_no,
        filing.contact_phone,
        filing.address,
    ):
        assert private not in text
    assert "涉嫌" not in text  # reasons are not published


def test_verification_needs_no_login_and_unknown_tokens_are_404(client, filing):
    assert client.get(f"/registration/verify/{filing.verify_token}/").status_code == 200
    assert client.get("/registration/verify/not-a-token/").status_code == 404
    assert client.get(f"/registration/verify/{'x' * 80}/").status_code == 404


def test_verification_follows_the_current_version(client, filing, enterprise_admin, reviewer):
    change = services.filing_change(filing=filing, by=enterprise_admin)
    services.filing_update_draft(
        filing=change, by=enterprise_admin, data={"name_cn": "杭州更名电子商务有限公司"}
    )
    change = services.filing_submit(filing=change, by=enterprise_admin)
    services.filing_accept(filing=change, by=reviewer)
    change = services.filing_approve(filing=change, by=reviewer)
    assert change.status == FilingStatus.ACTIVE
    assert change.verify_token == filing.verify_token
    result = client.get(f"/registration/verify/{filing.verify_token}/").context["result"]
    assert (result.state, result.name_cn) == ("VALID", "杭州更名电子商务有限公司")
