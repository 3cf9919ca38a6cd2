"""The filing wizard: the subtype list follows the entity type (in the page, and on the server), the fields
submission needs are marked, step 5 shows everything that will be submitted linked to its step and marks the
steps carrying the reviewer's comments, and an error keeps everything typed (and saves nothing)."""

import re

import pytest

from registration.models import EntityFiling
from tests.registration import builders
from tests.registration.test_pages import assert_accessible

pytestmark = pytest.mark.django_db


def _options(html: str) -> dict[str, str]:
    select = html[html.index('name="subtype"') : html.index("</select>", html.index('name="subtype"'))]
    return dict(re.findall(r'<option value="(\w*)"(?: selected)? data-for="([\w ]*)"', select))


def test_each_subtype_says_which_entity_type_it_belongs_to(client, enterprise_admin):
    client.force_login(enterprise_admin)
    html = client.get("/registration/filings/new/").content.decode()
    assert_accessible(html)
    assert 'data-filter-by="entity_type"' in html
    options = _options(html)
    assert options[""] == "SELF_PLATFORM"
    assert options["ENTERPRISE"] == "APPLICATION"
    assert options["LOGISTICS"] == "SERVICE"
    assert set(options) >= {"NATURAL_PERSON", "PAYMENT", "PLATFORM"}


def test_the_server_refuses_a_subtype_of_another_entity_type_and_keeps_the_choice(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/registration/filings/new/", {"entity_type": "SELF_PLATFORM", "subtype": "LOGISTICS"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["subtype"]
    html = response.content.decode()
    assert re.search(r'value="SELF_PLATFORM"[^>]*checked', html), "the entity type chosen stays chosen"
    assert not EntityFiling.objects.filter(owner=enterprise_admin.organisation).exists()


def test_the_fields_submission_needs_are_marked(client, enterprise_admin):
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin, complete=False)
    html = client.get(f"/registration/filings/{filing.pk}/edit/entity/").content.decode()
    assert 'data-testid="required-note"' in html

    def marked(name):
        field = html[html.index(f'data-field="{name}"') :]
        field = field[: field.index("</div>")]
        return (
            '<span class="required" aria-hidden="true">*</span>' in field and 'aria-required="true"' in field
        )

    assert all(marked(name) for name in ("name_cn", "uscc", "division_code", "address"))
    assert not marked("name_en") and not marked("customs_code")


def test_step_five_shows_everything_linked_to_its_step(client, enterprise_admin):
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin)
    html = client.get(f"/registration/filings/{filing.pk}/edit/submit/").content.decode()
    summary = html[html.index('data-testid="submission-summary"') : html.index('data-testid="submit-form"')]
    for value in (filing.name_cn, filing.uscc, filing.address, filing.contact_phone, filing.contact_email):
        assert value in summary
    for slug in ("entity", "representative", "business", "attachments"):
        assert f'href="/registration/filings/{filing.pk}/edit/{slug}/"' in summary
    for attachment in filing.attachments.current():
        assert attachment.original_name in summary
    assert builders.RESIDENT_ID not in summary  # masked, as everywhere


def test_the_steps_carrying_the_reviewers_comments_are_marked(client, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)  # a comment on name_cn (the entity step)
    client.force_login(enterprise_admin)
    html = client.get(f"/registration/filings/{filing.pk}/edit/submit/").content.decode()
    start = html.index('class="steps"')
    nav = html[start : html.index("</nav>", start)]
    commented = re.findall(
        r'<li class="steps__item--commented" data-commented="true"><a href="[^"]+/edit/(\w+)/"', nav
    )
    assert commented == ["entity"]
    assert "请与营业执照一致" in html  # the comment itself beside the field in the summary


def test_an_error_keeps_everything_typed_and_saves_nothing(client, enterprise_admin):
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin)
    typed = {
        "legal_rep_name": "王新",
        "legal_rep_id_type": "RESIDENT_ID",
        "legal_rep_id_no": builders.RESIDENT_ID,
        "contact_name": "李新联系人",
        "contact_phone": "12",  # wrong
        "contact_email": "new@example.com",
        "next": "1",
    }
    response = client.post(f"/registration/filings/{filing.pk}/edit/representative/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_contact_phone_error"' in html
    for name in ("legal_rep_name", "contact_name", "contact_phone", "contact_email", "legal_rep_id_no"):
        assert f'value="{typed[name]}"' in html, name
    unchanged = EntityFiling.objects.get(pk=filing.pk)
    assert unchanged.contact_name == filing.contact_name and unchanged.legal_rep_name == filing.legal_rep_name


def test_an_id_number_on_file_is_not_asked_for_again(client, enterprise_admin):
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin)
    html = client.get(f"/registration/filings/{filing.pk}/edit/representative/").content.decode()

    def marked(name):
        field = html[html.index(f'data-field="{name}"') :]
        return 'aria-required="true"' in field[: field.index("</div>")]

    assert marked("contact_phone") and marked("legal_rep_name")
    assert not marked("legal_rep_id_no"), "kept when left empty: nothing to retype"
