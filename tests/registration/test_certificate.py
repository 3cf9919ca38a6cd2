"""The bilingual certificate and its public verification page (status, name, number; nothing private)."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from registration import services
from registration.choices import FilingStatus, Qualification
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
    assert len(reader.pages) == 1


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


# The certificate is one bilingual document, the same whoever downloads it, in fonts embedded in the file.

LONG_NAME_CN = (
    "浙江义乌国际小商品城跨境电子商务供应链管理与数字贸易综合服务" * 2 + "暨海外仓储物流一体化运营有限公司"
)
LONG_NAME_EN = (
    "Zhejiang Yiwu International Commodity City Cross-border E-commerce Supply Chain Management and "
    "Digital Trade Comprehensive Services cum Overseas Warehousing and Integrated Logistics Operations Co Ltd"
)
BOXES = ("\ufffd", "\u25a0", "\u25a1", "(cid:")


def _download(client, filing, language: str) -> bytes:
    """The certificate as someone reading the portal in ``language`` downloads it."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/registration/filings/{filing.pk}/certificate.pdf")
    assert response.status_code == 200
    return response.content


def _font_dicts(reader: PdfReader) -> list:
    """Every font a page or a form on it uses; for a composite (Type0) font, its descendant fonts."""
    found = []

    def visit(resources):
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            is_composite = font["/Subtype"] == "/Type0"
            found.extend(d.get_object() for d in font["/DescendantFonts"]) if is_composite else found.append(
                font
            )
        for ref in (resources.get("/XObject") or {}).values():
            if "/Resources" in ref.get_object():
                visit(ref.get_object()["/Resources"])

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def _layout(content: bytes):
    """pdfminer's layout of each page: characters, text lines and small filled squares (the QR modules)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTContainer, LTRect, LTTextLine

    def walk(item):
        yield item
        if isinstance(item, LTContainer):
            for child in item:
                yield from walk(child)

    pages = []
    for page in extract_pages(io.BytesIO(content), laparams=LAParams()):
        items = list(walk(page))
        pages.append(
            {
                "size": (page.width, page.height),
                "chars": [i for i in items if isinstance(i, LTChar) and i.get_text().strip()],
                "lines": [i for i in items if isinstance(i, LTTextLine) and i.get_text().strip()],
                "modules": [
                    i for i in items if isinstance(i, LTRect) and 0.5 < i.width < 10 > i.height > 0.5
                ],
            }
        )
    return pages


def _overlap(a, b, tolerance: float = 0.3) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def _overlapping(boxes) -> list[tuple[str, str]]:
    boxes = sorted(boxes, key=lambda box: box.x0)
    clashes = []
    for index, box in enumerate(boxes):
        for other in boxes[index + 1 :]:
            if other.x0 >= box.x1:
                break
            if _overlap(box, other):
                clashes.append((box.get_text(), other.get_text()))
    return clashes


def _assert_nothing_overlaps(content: bytes) -> None:
    for page in _layout(content):
        assert _overlapping(page["chars"]) == []  # a long name running into its neighbour shows here
        assert _overlapping(page["lines"]) == []
        assert [c.get_text() for c in page["chars"] if any(_overlap(c, m, 0) for m in page["modules"])] == []
        width, height = page["size"]
        inside = 14 * 72 / 25.4  # the inner border, 14 mm from the edge
        outside = [c.get_text() for c in page["chars"] if not (inside < c.x0 and c.x1 < width - inside)]
        assert outside == []
        assert all(inside < c.y0 and c.y1 < height - inside for c in page["chars"])


def _flat(text: str) -> str:
    return "".join(text.split())


def _bilingual_facts(filing) -> list[str]:
    from django.utils import translation

    facts = [filing.name_cn, filing.name_en, "跨境电子商务经营主体备案证明", "主体名称", "Name"]
    facts += ["报关单位注册登记", "Customs registration", "杭州市", "Hangzhou", "浙江省商务厅"]
    facts += ["Zhejiang Provincial Department of Commerce"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            facts.append(filing.role_label)
            facts += [str(task.get_code_display()) for task in filing.qualifications.filter(status="DONE")]
    return [_flat(fact) for fact in facts]


def test_certificate_is_the_same_bilingual_document_from_a_chinese_and_an_english_session(
    client, filing, enterprise_admin, clock
):
    clock("2026-03-02 10:00")
    client.force_login(enterprise_admin)
    texts = {}
    for language in ("zh-hans", "en"):
        reader = PdfReader(io.BytesIO(_download(client, filing, language)))
        texts[language] = "\n".join(page.extract_text() for page in reader.pages)
    assert texts["zh-hans"] == texts["en"]
    text = _flat(texts["en"])
    assert [fact for fact in _bilingual_facts(filing) if fact not in text] == []
    assert [box for box in BOXES if box in texts["en"]] == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_font_of_the_certificate_is_embedded(client, filing, enterprise_admin, language):
    client.force_login(enterprise_admin)
    reader = PdfReader(io.BytesIO(_download(client, filing, language)))
    fonts = _font_dicts(reader)
    assert fonts
    not_embedded = [
        str(font.get("/BaseFont"))
        for font in fonts
        if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(font.get("/FontDescriptor", {}).keys())
    ]
    assert not_embedded == []
    # Subsets of the committed font (a six-letter tag + the name), not a viewer's substitute.
    tags_and_names = {tuple(str(font["/BaseFont"]).lstrip("/").split("+")) for font in fonts}
    assert {name for _tag, name in tags_and_names} == {"CertificateSansSC-Regular"}
    assert all(len(tag) == 6 and tag.isupper() for tag, _name in tags_and_names)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_character_is_drawn_from_the_embedded_font(client, filing, enterprise_admin, language):
    from portal.pdf import font

    client.force_login(enterprise_admin)
    chars = [c for page in _layout(_download(client, filing, language)) for c in page["chars"]]
    covered = font().face.charToGlyph
    assert [c.get_text() for c in chars if ord(c.get_text()) not in covered] == []  # would print as .notdef
    assert {c.fontname.split("+")[-1] for c in chars} == {"CertificateSansSC-Regular"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("names", ["short", "long"])
def test_nothing_overlaps_and_everything_stays_inside_the_border(
    client, enterprise_admin, reviewer, language, names
):
    if names == "long":
        filing = builders.active(enterprise_admin, reviewer, name_cn=LONG_NAME_CN, name_en=LONG_NAME_EN)
    else:
        filing = builders.active(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    _assert_nothing_overlaps(_download(client, filing, language))


def test_long_names_wrap_inside_their_cells_on_one_page(client, enterprise_admin, reviewer, monkeypatch):
    from registration import certificate

    filing = builders.active(enterprise_admin, reviewer, name_cn=LONG_NAME_CN, name_en=LONG_NAME_EN)
    assert (len(filing.name_cn), filing.name_en) == (len(LONG_NAME_CN), LONG_NAME_EN)
    long_zh = "贸易外汇收支企业名录登记及货物贸易外汇管理分类等级评定与跨境人民币结算业务备案"
    long_en = "Trade forex directory registration with goods-trade forex classification and cross-border RMB"
    names = certificate.qualification_names
    monkeypatch.setattr(
        certificate,
        "qualification_names",
        lambda code: (long_zh, long_en) if code == Qualification.SAFE_DIRECTORY else names(code),
    )
    client.force_login(enterprise_admin)
    for language in ("zh-hans", "en"):
        content = _download(client, filing, language)
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) == 1
        text = _flat(reader.pages[0].extract_text())
        for whole in (LONG_NAME_CN, LONG_NAME_EN, long_zh, long_en, filing.customs_code, filing.dxp_id):
            assert _flat(whole) in text
        name_lines = [
            line for line in _layout(content)[0]["lines"] if line.get_text().strip()[:4] in LONG_NAME_CN
        ]
        assert len({round(line.y0) for line in name_lines}) > 1  # the Chinese name took several lines
        _assert_nothing_overlaps(content)


def test_a_character_the_font_lacks_is_printed_as_its_code_point_not_a_box(
    client, enterprise_admin, reviewer
):
    filing = builders.active(enterprise_admin, reviewer, name_cn="杭州한글贸易有限公司")
    client.force_login(enterprise_admin)
    text = PdfReader(io.BytesIO(_download(client, filing, "en"))).pages[0].extract_text()
    assert "杭州〔U+D55C〕〔U+AE00〕贸易有限公司" in text
    assert [box for box in BOXES if box in text] == []


def test_rendering_does_not_depend_on_the_active_language(filing, clock):
    from django.utils import translation

    from registration import certificate

    clock("2026-03-02 10:00")
    texts = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            reader = PdfReader(io.BytesIO(certificate.render(filing)))
        texts.add(reader.pages[0].extract_text())
    assert len(texts) == 1


# The verification page is opened from the QR code, often by a buyer abroad: it follows the browser's
# language until the visitor picks one, and offers the switch on the page itself.


def _verify_page(client, filing, accept_language: str | None = None):
    headers = {"accept-language": accept_language} if accept_language is not None else {}
    return client.get(f"/registration/verify/{filing.verify_token}/", headers=headers)


def _lang_and_h1(response) -> tuple[str, str]:
    import lxml.html

    doc = lxml.html.fromstring(response.content.decode())
    return doc.get("lang"), doc.findtext(".//h1").strip()


@pytest.mark.parametrize(
    ("accept_language", "lang", "h1"),
    [
        ("en-US,en;q=0.9", "en", "Certificate verification"),
        ("de-DE,de;q=0.9,en;q=0.5", "en", "Certificate verification"),
        ("de-DE,fr;q=0.8", "en", "Certificate verification"),  # none of ours: English, not Chinese
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "备案证明核验"),
        ("zh-TW,en;q=0.5", "zh-Hans", "备案证明核验"),
        ("fr-FR,zh;q=0.7,en;q=0.5", "zh-Hans", "备案证明核验"),
        (None, "zh-Hans", "备案证明核验"),
        ("*", "zh-Hans", "备案证明核验"),
    ],
)
def test_verification_page_follows_the_browser_language(client, filing, accept_language, lang, h1):
    response = _verify_page(client, filing, accept_language)
    assert _lang_and_h1(response) == (lang, h1)
    assert response["Content-Language"] == {"en": "en", "zh-Hans": "zh-hans"}[lang]
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}


def test_other_pages_still_ignore_the_browser_language(client, filing):
    assert _lang_and_h1(client.get("/login/", headers={"accept-language": "en-US,en;q=0.9"}))[0] == "zh-Hans"


def test_a_chosen_language_beats_the_browser_on_the_verification_page(client, filing, enterprise_admin):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert _lang_and_h1(_verify_page(client, filing, "en-US,en;q=0.9"))[0] == "zh-Hans"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    enterprise_admin.language = "zh-hans"
    enterprise_admin.save(update_fields=["language"])
    client.force_login(enterprise_admin)
    assert _lang_and_h1(_verify_page(client, filing, "en-US,en;q=0.9"))[0] == "zh-Hans"


@pytest.mark.parametrize(("accept_language", "current"), [("en-US", "en"), ("zh-CN", "zh-hans")])
def test_the_verification_page_offers_each_language_in_its_own_name(client, filing, accept_language, current):
    import lxml.html

    url = f"/registration/verify/{filing.verify_token}/"
    page = lxml.html.fromstring(_verify_page(client, filing, accept_language).content.decode())
    switch = page.find(".//form[@data-testid='verify-languages']")
    assert switch.get("action") == "/language/"
    assert switch.find(".//input[@name='next']").get("value") == url
    buttons = {b.get("value"): (b.text.strip(), b.get("lang")) for b in switch.findall(".//button")}
    assert buttons == {"zh-hans": ("简体中文", "zh-Hans"), "en": ("English", "en")}  # never "英语"
    assert switch.find(".//button[@aria-current='true']").get("value") == current


def test_the_language_chosen_on_the_verification_page_sticks(client, filing):
    url = f"/registration/verify/{filing.verify_token}/"

    response = client.post("/language/", {"language": "zh-hans", "next": url})
    assert response["Location"] == url
    assert _lang_and_h1(_verify_page(client, filing, "en-US"))[0] == "zh-Hans"


def test_the_verification_page_shows_the_english_name_for_buyers_abroad(client, filing):
    page = _verify_page(client, filing, "en").content.decode()
    assert filing.name_en and filing.name_en in page
    assert filing.name_cn in page
