"""The customs demo data: a month of lists in every state, with their documents, idempotent."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from customs.choices import DocStatus
from customs.models import InventoryList, Order, Payment, SellerAuthorisation, Waybill
from customs.seeding import PER_STATE, STATES, seed_customs
from portal.models import AuditEvent
from portal.seeding import ACCOUNTS, seed_shell

pytestmark = pytest.mark.django_db


def test_a_month_of_lists_in_every_state_with_their_documents_once():
    seed_shell()
    seed_customs(today=date(2026, 3, 31))
    counts = {s: InventoryList.objects.filter(status=s).count() for s in STATES}
    assert counts == dict.fromkeys(STATES, PER_STATE)
    lists = InventoryList.objects.all()
    assert min(x.ie_date for x in lists) == date(2026, 3, 1) and max(x.ie_date for x in lists) <= date(
        2026, 3, 31
    )
    n = len(STATES) * PER_STATE
    assert (Order.objects.count(), Payment.objects.count(), Waybill.objects.count()) == (n, n, n)
    assert not any(x.check_state == "error" for x in lists), [
        x.checks for x in lists if x.check_state == "error"
    ]
    closed = InventoryList.objects.filter(status=DocStatus.CLOSED)
    assert all(x.closed_at and x.released_at and x.invt_no for x in closed)
    assert InventoryList.objects.filter(status=DocStatus.REJECTED, customs_status="100").count() == PER_STATE
    assert SellerAuthorisation.objects.count() == 1
    agent = SellerAuthorisation.objects.get().agent
    assert InventoryList.objects.filter(filer=agent).count() == n // 4
    some = InventoryList.objects.filter(status=DocStatus.INSPECTION).first()
    assert AuditEvent.objects.for_object(some).filter(to_state="INSPECTION").exists()
    seed_customs(today=date(2026, 4, 2))
    assert InventoryList.objects.count() == n and SellerAuthorisation.objects.count() == 1


def test_seed_demo_prints_the_customs_demo_logins_every_time(clock):
    """A newcomer following the README finds the customs logins in `make run`'s output, also on a rerun."""
    clock("2026-03-31 10:00")
    for _run in range(2):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        printed = out.getvalue()
        for username in ("customs_seller", "customs_logistics", "customs_payment", "seller_admin"):
            assert f"  {username} " in printed, printed
    # The shell's own list is not grown by the apps' logins (a later seed_shell, after a flush, would look
    # for the customs demo enterprises before they exist).
    assert "customs_seller" not in {account.username for account in ACCOUNTS}
