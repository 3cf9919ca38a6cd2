"""Database leases: a periodic job runs only if it can take its lease, so it can never run twice at once."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from exchange.models import Lease


@contextmanager
def lease(name: str, *, seconds: float):
    """Yield True if this caller holds the lease ``name`` for up to ``seconds``, else False.

    Keep ``seconds`` short (about a minute): a worker killed while holding a lease blocks the job until it
    expires. If a run outlasts its lease a second run may overlap it, which every leased job here tolerates
    (receipts de-duplicate, claims are conditional); the lease only stops the pile-up.
    """
    holder = uuid.uuid4().hex
    now = timezone.now()
    Lease.objects.get_or_create(name=name)
    taken = Lease.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now), name=name).update(
        holder=holder, expires_at=now + timedelta(seconds=seconds)
    )
    try:
        yield bool(taken)
    finally:
        if taken:
            Lease.objects.filter(name=name, holder=holder).update(expires_at=None, holder="")
