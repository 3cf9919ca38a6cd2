"""Reads of the customs documents for the apps that build on them (scoped reads for pages are the pages'
``visible_to``)."""

from customs.choices import DocStatus
from customs.models import InventoryList


def held_for_inspection(owner=None):
    """THE INSPECTION SEAM: lists customs holds for inspection (500), oldest first. The inspection app
    decides each and calls ``customs.services.list_release_from_inspection``."""
    lists = InventoryList.objects.filter(status=DocStatus.INSPECTION).order_by("status_changed_at", "pk")
    return lists.filter(owner=owner) if owner is not None else lists
