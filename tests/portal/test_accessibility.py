"""Accessible markup on the shell's pages, checked on the rendered HTML; colour contrast from the CSS."""

import re
from pathlib import Path

import lxml.html
import pytest

from portal.choices import Role
from portal.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "portal" / "static" / "portal" / "css" / "portal.css"

KIND_OF_ROLE = {
    Role.ENTERPRISE_ADMIN: "ENTERPRISE",
    Role.ENTERPRISE_OPERATOR: "ENTERPRISE",
    Role.COMMERCE_REVIEWER: "COMMERCE",
    Role.COMMERCE_SUPERVISOR: "COMMERCE",
    Role.CUSTOMS_OFFICER: "CUSTOMS",
    Role.INSPECTION_OFFICER: "CIQ",
    Role.FOREX_OFFICER: "SAFE",
    Role.TAX_OFFICER: "TAX",
    Role.STATISTICS_OFFICIAL: "STATISTICS",
    Role.SYSTEM_ADMIN: "OPERATOR",
}
FOCUSABLE = "//a[@href] | //button | //input[not(@type='hidden')] | //select | //textarea"


def _user(role):
    kind = KIND_OF_ROLE[role]
    org = factories.EnterpriseFactory() if kind == "ENTERPRISE" else factories.GovernmentFactory(kind=kind)
    return factories.UserFactory(organisation=org, role=role.value)


def _check_page(html: str, *, logged_in: bool) -> None:
    doc = lxml.html.fromstring(html)
    assert doc.get("lang") in {"zh-Hans", "en"}
    assert doc.findtext(".//title").strip()

    # Landmarks: one of each, main is the skip link's target.
    mains = doc.xpath("//main")
    assert len(mains) == 1
    assert mains[0].get("id") == "main"
    assert len(doc.xpath("//header[@role='banner'] | //body/header")) == 1
    assert len(doc.xpath("//footer")) == 1
    if logged_in:
        navs = doc.xpath("//nav[@aria-label]")
        assert navs, "logged-in pages have the main navigation"
    assert len(doc.xpath("//h1")) == 1

    # The skip link comes before anything else that takes focus and points at <main>.
    first = doc.xpath(FOCUSABLE)[0]
    assert first.tag == "a"
    assert first.get("href") == "#main"
    assert "skip-link" in first.get("class", "")

    # Every form control has a label.
    labelled = {label.get("for") for label in doc.xpath("//label[@for]")}
    for control in doc.xpath("//input | //select | //textarea"):
        if control.get("type") in {"hidden", "submit", "button", "reset", "image"}:
            continue
        has_label = (
            control.get("id") in labelled
            or control.xpath("ancestor::label")
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert has_label, f"unlabelled {control.tag} name={control.get('name')!r}"
    for button in doc.xpath("//button"):
        assert button.text_content().strip() or button.get("aria-label"), "a button without a name"
    for img in doc.xpath("//img"):
        assert img.get("alt") is not None, "an image without alt"

    # Field errors are tied to their inputs; ids are unique.
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), "duplicate ids"

    # The CSP allows no inline code: no inline scripts, no <style>, no style attributes, no on* handlers.
    assert not doc.xpath("//script[not(@src)]")
    assert not doc.xpath("//style")
    assert not doc.xpath("//*[@style]")
    assert not [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]


def test_login_page(client):
    _check_page(client.get("/login/").content.decode(), logged_in=False)


def test_login_page_with_errors(client):
    response = client.post("/login/", {"username": "", "password": ""})
    html = response.content.decode()
    _check_page(html, logged_in=False)
    assert 'id="id_username_error"' in html


@pytest.mark.parametrize("url", ["/password/reset/", "/password/reset/sent/", "/no-such-page/"])
def test_anonymous_pages(client, url):
    _check_page(client.get(url).content.decode(), logged_in=False)


@pytest.mark.parametrize("role", list(Role))
def test_home_page_of_every_role(client, role):
    user = _user(role)
    Notification.objects.create(recipient=user, verb="x", title="一条通知")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    _check_page(response.content.decode(), logged_in=True)


@pytest.mark.parametrize("url", ["/profile/", "/inbox/", "/team/", "/password/change/"])
def test_enterprise_admin_pages(client, enterprise_admin, enterprise_operator, url):
    Notification.objects.create(recipient=enterprise_admin, verb="x", title="未读")
    client.force_login(enterprise_admin)
    client.post("/profile/tokens/", {"name": "ERP"})
    response = client.get(url)
    assert response.status_code == 200
    _check_page(response.content.decode(), logged_in=True)


def test_profile_with_field_errors(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post("/profile/", {"full_name": "x" * 101, "email": "not-an-email", "language": "en"})
    _check_page(response.content.decode(), logged_in=True)


def test_audit_search_page(client, system_admin):
    client.force_login(system_admin)
    _check_page(client.get("/audit/").content.decode(), logged_in=True)


def test_forbidden_page(client, enterprise_operator):
    client.force_login(enterprise_operator)
    response = client.get("/team/")
    assert response.status_code == 403
    _check_page(response.content.decode(), logged_in=True)


def test_focus_styles_and_skip_link_are_in_the_stylesheet():
    css = CSS.read_text()
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid", css)
    assert re.search(r"\.skip-link:focus\s*\{[^}]*left:\s*1rem", css)
    assert "outline: none" not in css.replace(".main:focus { outline: none; }", "")


# --- colour contrast (WCAG 2.1: 4.5:1 for text, 3:1 for focus indicators and control borders) ---------
def _colours() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root)) | {"white": "#ffffff"}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_PAIRS = [
    ("ink", "white"),  # body text
    ("ink", "bg-soft"),  # table headers, cards
    ("muted", "white"),  # help text, captions
    ("muted", "bg-soft"),
    ("link", "white"),
    ("link", "bg-soft"),
    ("brand", "white"),  # secondary buttons
    ("white", "brand"),  # header text, primary buttons
    ("white", "brand-dark"),  # navigation, badge
    ("white", "err"),  # danger buttons
    ("ok", "white"),
    ("warn", "white"),
    ("err", "white"),  # error messages
    ("ink", "focus"),  # the skip link
]


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_text_colour_pairs_meet_aa(fg, bg):
    colours = _colours()
    assert contrast(colours[fg], colours[bg]) >= 4.5


def test_focus_ring_is_visible_on_white_and_on_the_header():
    colours = _colours()
    # The yellow outline alone is too light on white; the dark ring drawn around it carries the contrast.
    assert contrast(colours["ink"], colours["white"]) >= 3
    assert contrast(colours["focus"], colours["brand"]) >= 3
    assert contrast(colours["focus"], colours["brand-dark"]) >= 3


def test_the_contrast_figures_in_the_stylesheet_comments_are_true():
    colours = _colours()
    claims = re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6});\s*/\*\s*on white:\s*([\d.]+):1", CSS.read_text())
    assert len(claims) >= 7
    for name, value, claimed in claims:
        assert abs(contrast(value, colours["white"]) - float(claimed)) < 0.06, name
