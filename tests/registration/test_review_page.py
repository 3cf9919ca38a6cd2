"""The review page reads as a reviewer works: the filing's data first, each field once and in the form's
order, the decisions beside or after it; approving and proposing a rejection look different; a corrected
filing comes back to the reviewer who returned it, with nothing to claim again."""

import re

import pytest

from registration.choices import FilingStatus
from registration.forms.review import form_order
from registration.models import EntityFiling
from tests.registration import builders
from tests.registration.test_pages import assert_accessible

pytestmark = pytest.mark.django_db


def _page(client, reviewer, filing) -> str:
    client.force_login(reviewer)
    return client.get(f"/registration/review/{filing.pk}/").content.decode()


def test_the_data_comes_first_and_each_field_once_in_the_forms_order(client, enterprise_admin, reviewer):
    filing = builders.under_review(enterprise_admin, reviewer)
    html = _page(client, reviewer, filing)
    assert_accessible(html)
    assert html.index('data-testid="review-data"') < html.index('data-testid="review-decisions"')
    shown = re.findall(r'<dd aria-labelledby="fact-\w+" data-field="(\w+)"', html)
    assert len(shown) == len(set(shown)), "each field once"
    order = [name for name in form_order() if name in shown]
    assert [name for name in shown if name in order] == order


def test_the_comment_fields_follow_the_form_not_the_alphabet(client, enterprise_admin, reviewer):
    filing = builders.under_review(enterprise_admin, reviewer)
    _page(client, reviewer, filing)
    form = client.get(f"/registration/review/{filing.pk}/").context["comment_form"]
    names = [value for value, _label in form.fields["field"].choices]
    assert len(names) == len(set(names))
    assert names == [name for name in form_order() if name in names]
    assert names[:2] == ["general", "entity_type"] and names[-1] == "attachments"
    assert names.index("name_cn") < names.index("legal_rep_name") < names.index("platform_urls")


def test_approving_and_proposing_a_rejection_look_different(client, enterprise_admin, reviewer):
    html = _page(client, reviewer, builders.under_review(enterprise_admin, reviewer))

    def button_class(action):
        form = html[html.index(f'data-testid="action-{action}"') :]
        return re.search(r'<button type="submit" class="([^"]+)"', form).group(1)

    assert "button--approve" in button_class("approve")
    assert "button--danger" in button_class("reject")
    assert button_class("approve") != button_class("reject") != button_class("return")


def test_a_corrected_filing_goes_back_to_its_reviewer_with_nothing_to_claim(
    client, enterprise_admin, reviewer
):
    filing = builders.returned(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    client.post(f"/registration/filings/{filing.pk}/edit/submit/")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.UNDER_REVIEW and filing.assigned_to == reviewer
    html = _page(client, reviewer, filing)
    assert 'data-testid="action-claim"' not in html
    assert 'data-testid="action-approve"' in html
    response = client.post(f"/registration/review/{filing.pk}/approve/", {"approve-note": ""})
    assert response.status_code == 302
    assert EntityFiling.objects.get(pk=filing.pk).status in (FilingStatus.APPROVED, FilingStatus.ACTIVE)
