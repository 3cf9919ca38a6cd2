"""Inventory lists by Excel and CEB603 XML through the shell's bulk intake (``portal.intake``, ADR 0021/0029).

``customs.imports.importer.InventoryListImporter`` (kind ``customs.inventory_lists``) declares the columns
and turns rows into lists for ``customs.services.lists_create_bulk``; ``customs.imports.xml`` reads CEB603
files. The layout is documented in docs/customs.md, "Excel and XML import".
"""

KIND = "customs.inventory_lists"
# Orders, payment receipts and waybills (``customs.imports.documents``), by their batch key.
DOCUMENT_KINDS = {"orders": "customs.orders", "payments": "customs.payments", "waybills": "customs.waybills"}
