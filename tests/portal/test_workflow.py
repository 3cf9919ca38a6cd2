"""The shell's one transition function and its bulk form (portal.workflow)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEvent
from portal.statemachine import TransitionNotAllowed
from portal.workflow import WORKFLOWS, bulk_transition, check_tables, lock, transition
from tests.kitapp.models import WIDGET, Widget, WidgetStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def widget(enterprise):
    return Widget.objects.create(owner=enterprise, name="w")


def test_transition_locks_checks_stamps_audits_and_returns_the_old_state(widget, enterprise_admin, clock):
    clock("2026-05-04 10:00")
    with transaction.atomic():
        before = transition(widget, "send", by=enterprise_admin, workflow=WIDGET, reason="ready", save=True)
    assert before == WidgetStatus.DRAFT
    widget.refresh_from_db()
    assert widget.status == WidgetStatus.SENT
    assert widget.changed_at.isoformat() == "2026-05-04T02:00:00+00:00"
    event = AuditEvent.objects.for_object(widget).get()
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        "DRAFT",
        "SENT",
        "ready",
        enterprise_admin,
    )
    assert event.payload == {"action": "send"}


def test_the_verb_stamps_its_time_and_user(widget, enterprise_admin):
    with transaction.atomic():
        transition(widget, "send", by=enterprise_admin, workflow=WIDGET, save=True)
        transition(widget, "finish", by=enterprise_admin, workflow=WIDGET, save=True)
    widget.refresh_from_db()
    assert widget.finished_by == enterprise_admin and widget.finished_at is not None


def test_an_illegal_move_raises_with_labels_and_writes_nothing(widget, enterprise_admin):
    with pytest.raises(TransitionNotAllowed) as refused, transaction.atomic():
        transition(widget, "finish", by=enterprise_admin, workflow=WIDGET, save=True)
    assert "finish" in str(refused.value) and "Draft" in str(refused.value)
    assert not AuditEvent.objects.for_object(widget).exists()
    assert Widget.objects.get(pk=widget.pk).status == WidgetStatus.DRAFT


def test_a_stale_instance_is_refreshed_from_the_locked_row(widget, enterprise_admin):
    stale = Widget.objects.get(pk=widget.pk)
    Widget.objects.filter(pk=widget.pk).update(status=WidgetStatus.VOID)
    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        transition(stale, "send", by=enterprise_admin, workflow=WIDGET)
    assert stale.status == WidgetStatus.VOID


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_to_run(widget):
    with pytest.raises(RuntimeError):
        transition(widget, "send", workflow=WIDGET)
    with pytest.raises(RuntimeError):
        lock(widget)


def test_lock_returns_fresh_rows_in_the_order_given(enterprise):
    a, b = (
        Widget.objects.create(owner=enterprise, name="a"),
        Widget.objects.create(owner=enterprise, name="b"),
    )
    with transaction.atomic():
        assert [w.name for w in lock(b, a)] == ["b", "a"]
        Widget.objects.filter(pk=a.pk).delete()
        with pytest.raises(Widget.DoesNotExist):
            lock(a)


def test_bulk_transition_moves_what_may_move_with_a_bounded_number_of_queries(enterprise, enterprise_admin):
    def run(n):
        Widget.objects.bulk_create(Widget(owner=enterprise, name=str(i)) for i in range(n))
        Widget.objects.filter(name="0").update(status=WidgetStatus.DONE)
        with CaptureQueriesContext(connection) as queries:
            result = bulk_transition(Widget.objects.all(), "void", workflow=WIDGET, by=enterprise_admin)
        return result, len(queries)

    small, small_queries = run(5)
    Widget.objects.all().delete()
    large, large_queries = run(200)
    assert small == {"moved": 4, "skipped": 1}
    assert large == {"moved": 199, "skipped": 1}
    # No query per row: the same statements, the audit INSERT split only by the backend's parameter limit
    # (SQLite: 999 per statement).
    assert large_queries <= small_queries + 4
    assert AuditEvent.objects.filter(to_state="VOID").count() == 4 + 199


def test_every_declared_machine_is_sound():
    assert "kitapp.widget" in WORKFLOWS
    assert check_tables() == []
