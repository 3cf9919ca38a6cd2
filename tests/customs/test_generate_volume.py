"""``manage.py generate_volume``: lists of large and small sellers in the states asked for, through the bulk
path, every move audited, nothing in the outbox."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from customs.models import InventoryList
from exchange.models import Message
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_makes_lists_in_the_states_asked_for():
    out = StringIO()
    call_command(
        "generate_volume", lists=80, large_sellers=2, small_sellers=4, month="2025-03", seed=3, tag="T",
        states="CLOSED=50,RELEASED=25,REJECTED=25", stdout=out,
    )  # fmt: skip
    by_status = dict(InventoryList.objects.values_list("status").annotate(n=Count("id")))
    assert by_status == {"CLOSED": 40, "RELEASED": 20, "REJECTED": 20}
    per_seller = sorted(
        InventoryList.objects.values("owner").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert len(per_seller) == 6 and sum(per_seller[-2:]) == 56  # the two large sellers: 70 %
    assert InventoryList.objects.values("country").distinct().count() <= 10
    closed = InventoryList.objects.filter(status="CLOSED")
    assert all(lst.closed_at and lst.closed_at.strftime("%Y-%m") == "2025-03" for lst in closed)
    assert not closed.filter(invt_no="").exists()
    assert not Message.objects.exists()
    closed_one = closed.first()
    moves = list(AuditEvent.objects.for_object(closed_one).order_by("id").values_list("to_state", flat=True))
    assert moves[-6:] == ["SUBMITTED", "DECLARED", "ENTERED", "CONCLUDED", "RELEASED", "CLOSED"]
    assert "80 lists of 6 sellers" in out.getvalue()


def test_bad_states_are_refused():
    with pytest.raises(CommandError):
        call_command("generate_volume", lists=1, states="SHIPPED=1")
