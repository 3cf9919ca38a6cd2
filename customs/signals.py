"""Signals customs sends for the apps that build on it.

``list_held``: sent after the commit of a receipt batch in which customs held inventory lists for inspection
(``returnStatus`` 500), with ``list_ids`` (the ``InventoryList`` primary keys). The inspection app connects
here to open its cases, then calls ``customs.services.list_release_from_inspection`` when it releases one.
"""

from django.dispatch import Signal

list_held = Signal()  # kwargs: list_ids
