"""Every view under ``/api/v1/`` has its kit test, and every scoped model is read through a kit-tested viewset
or is listed below with the reason it is not.

A new viewset without a kit test fails here with its name and routes: add a ``ScopedApiTests`` subclass
(``EndpointTests`` for a view that is not scoped to an organisation) next to the app's other tests, as
docs/developer-guide.md, "Testing an app's API", shows.
"""

import pytest

from tests.kit import coverage

pytestmark = pytest.mark.django_db

# Views under /api/v1/ without a kit test, and why. Only views that are not scoped may be listed: a scoped
# viewset always needs its ScopedApiTests.
NOT_KIT_TESTED = {
    "portal.api.views.ObtainTokenView": "anonymous by design, it issues tokens: tests/api/test_tokens.py",
    "rest_framework.routers.APIRootView": "the routers' index of links (/api/v1/, /api/v1/exchange/)",
}

# Scoped models that no kit-tested viewset serves, and where they are read instead. When a model gets a
# viewset of its own, take it off this list (the test says so).
READ_ELSEWHERE = {
    "portal.User": "the caller only, at /api/v1/me/ (EndpointTests); the team is managed in pages",
    "portal.Organisation": "the caller's own, inside /api/v1/me/",
    "portal.Invitation": "pages only: the team page invites",
    "portal.ApiToken": "issued by /api/v1/auth/token/, listed and revoked in the profile page",
    "portal.AuditEvent": "the audit search page; in the API only as a filing's timeline entries",
    "portal.ImportProblem": "through its job: /api/v1/imports/<id>/problems/",
    "exchange.Receipt": "through its message: /api/v1/exchange/messages/<id>/ and <id>/receipts/",
    "registration.FieldComment": "through its filing: /api/v1/registration/filings/<id>/comments/",
    "registration.FilingAttachment": "through its filing: .../filings/<id>/attachments/ and their download",
    "registration.FilingSubmission": "through its filing: .../filings/<id>/submissions/",
    "registration.QualificationTask": "through its filing: .../filings/<id>/qualifications/ and their retry",
    # Customs documents without a viewset of their own yet: each comes off this list with its viewset and
    # that viewset's kit test.
    "customs.Cancellation": "through its list: /api/v1/customs/inventory-lists/<id>/cancel/ and timeline/",
    "customs.ParcelReport": "no API yet",
}


@pytest.fixture(scope="module")
def kits():
    return coverage.kit_classes()


def test_every_api_view_has_its_kit_test(kits):
    views = coverage.api_views()
    missing = coverage.gaps(views, coverage.covered(kits), NOT_KIT_TESTED)
    assert not missing, "API views without a kit test (tests/kit/api.py):\n  " + "\n  ".join(missing)


def test_the_list_of_views_without_a_kit_test_is_true(kits):
    views = {coverage.dotted(view): view for view in coverage.api_views()}
    tested = {coverage.dotted(view) for view in coverage.covered(kits)}
    stale = [name for name in NOT_KIT_TESTED if name not in views or name in tested]
    assert not stale, f"take these off NOT_KIT_TESTED (gone from /api/v1/, or kit-tested now): {stale}"
    scoped = [name for name in NOT_KIT_TESTED if name in views and coverage.is_scoped(views[name])]
    assert not scoped, f"a scoped viewset cannot go without its kit test: {scoped}"


def test_every_scoped_model_is_read_through_a_kit_tested_viewset(kits):
    served = coverage.served_models(coverage.covered(kits))
    scoped = {coverage.model_label(model) for model in coverage.scoped_models()}
    unread = sorted(scoped - served - set(READ_ELSEWHERE))
    assert not unread, (
        "scoped models no kit-tested viewset serves; give each a viewset and its kit test, or say in "
        f"READ_ELSEWHERE where it is read: {unread}"
    )


def test_the_list_of_models_read_elsewhere_is_true(kits):
    served = coverage.served_models(coverage.covered(kits))
    scoped = {coverage.model_label(model) for model in coverage.scoped_models()}
    stale = sorted(name for name in READ_ELSEWHERE if name not in scoped or name in served)
    assert not stale, (
        f"take these off READ_ELSEWHERE (not scoped, or served by a kit-tested viewset): {stale}"
    )
