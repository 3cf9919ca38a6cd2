"""The kit's own tests: on a correct viewset every generated test passes (``TestWidgetApi``); on a copy with
one bug the generated test that guards against it fails; the coverage check names a viewset nobody tested.

The viewsets are test-only (tests/kit/widgets.py), mounted on a URL configuration of their own.
"""

import pytest
from django.db import transaction

from portal.choices import Role
from portal.workflow import transition
from tests.kit import coverage
from tests.kit.api import Action, ScopedApiTests
from tests.kit.support import Cast
from tests.kitapp.models import WIDGET, Widget

pytestmark = pytest.mark.django_db
URLCONF = "tests.kit.widgets"
ADMIN, OPERATOR = Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR


def _moved(*verbs):
    def move(kit, widget):
        with transaction.atomic():
            for verb in verbs:
                transition(widget, verb, by=kit.owner, workflow=WIDGET, save=True)
        return widget

    return move


class WidgetTests(ScopedApiTests):
    """The declaration; ``TestWidgetApi`` runs it against the correct viewset, the others against a bug."""

    urlconf = URLCONF
    url = "/api/v1/widgets/"
    fields = {"id", "name", "status"}
    readers = (OPERATOR,)
    hidden_from = (Role.CUSTOMS_OFFICER,)
    actions = (
        Action("send", roles=(ADMIN, OPERATOR), illegal=_moved("send"), expect={"status": "SENT"}),
        Action("void", forbidden=(OPERATOR,), illegal=_moved("void"), expect={"status": "VOID"}),
    )

    def make(self, owner):
        return Widget.objects.create(owner=owner.organisation, name="w")


class TestWidgetApi(WidgetTests):
    pass


class LeakyWidgets(WidgetTests):
    url = "/api/v1/leaky-widgets/"


class ChattyWidgets(WidgetTests):
    url = "/api/v1/chatty-widgets/"
    fields = {"id", "name", "status", "owner"}


class UnguardedWidgets(WidgetTests):
    url = "/api/v1/unguarded-widgets/"


class UndeclaredVoid(WidgetTests):
    actions = WidgetTests.actions[:1]


def _run(kit_class, test: str, settings, **params):
    """One generated test of ``kit_class``, as pytest would run it (the kit's fixture, then the method)."""
    settings.ROOT_URLCONF = kit_class.urlconf
    kit = kit_class()
    kit.cast = Cast(kit_class.owner_role)
    getattr(kit, test)(**params)


def _action(name: str) -> Action:
    return next(action for action in WidgetTests.actions if action.name == name)


@pytest.mark.parametrize(
    ("kit_class", "test", "params", "says"),
    [
        (
            LeakyWidgets,
            "test_another_organisation_does_not_find_it",
            {"route": _action("send")},
            "expected [404]",
        ),
        (LeakyWidgets, "test_another_organisation_lists_and_counts_without_it", {}, "list shows the object"),
        (LeakyWidgets, "test_hidden_from_these_roles", {"role": Role.CUSTOMS_OFFICER}, "finds the object"),
        (LeakyWidgets, "test_a_user_of_no_organisation_finds_nothing", {}, "no organisation sees"),
        (ChattyWidgets, "test_list_queries_do_not_grow_with_rows", {}, "queries for few rows"),
        (
            UnguardedWidgets,
            "test_wrong_role_is_refused",
            {"action": _action("void"), "role": OPERATOR},
            "[403]",
        ),
        (UnguardedWidgets, "test_illegal_transition_is_409", {"action": _action("void")}, "[409]"),
        (UndeclaredVoid, "test_every_route_is_declared", {}, "('void', 'post')"),
    ],
    ids=[
        "leak-404",
        "leak-list",
        "leak-hidden",
        "leak-no-organisation",
        "n-plus-one",
        "role",
        "409",
        "route",
    ],
)
def test_a_generated_test_fails_on_its_bug(kit_class, test, params, says, settings):
    with pytest.raises(AssertionError) as failed:
        _run(kit_class, test, settings, **params)
    assert says in str(failed.value)


def test_the_same_generated_tests_pass_on_the_correct_viewset(settings):
    _run(TestWidgetApi, "test_another_organisation_does_not_find_it", settings, route=_action("send"))
    _run(TestWidgetApi, "test_list_queries_do_not_grow_with_rows", settings)
    _run(TestWidgetApi, "test_illegal_transition_is_409", settings, action=_action("void"))


def test_the_coverage_check_names_a_viewset_without_a_kit_test():
    views = coverage.api_views(URLCONF)
    missing = coverage.gaps(views, coverage.covered([TestWidgetApi], URLCONF), allowed={})
    assert [line.split(" ")[0] for line in missing] == [
        "tests.kit.widgets.ChattyWidgetViewSet",
        "tests.kit.widgets.LeakyWidgetViewSet",
        "tests.kit.widgets.UnguardedWidgetViewSet",
    ]
    assert (
        "(/api/v1/chatty-widgets/, /api/v1/chatty-widgets/<pk>/, ...): no ScopedApiTests subclass"
        in missing[0]
    )


def test_an_endpoint_test_does_not_cover_a_scoped_viewset():
    """A scoped viewset needs the scoped kit: an allow-list entry or a weaker test class does not do."""
    views = coverage.api_views(URLCONF)
    missing = coverage.gaps(views, {}, allowed={"tests.kit.widgets.WidgetViewSet": "why not"})
    assert any(line.startswith("tests.kit.widgets.WidgetViewSet ") for line in missing)
