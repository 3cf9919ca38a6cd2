"""govmock's own storage: SQLite through the stdlib ``sqlite3`` module (see :mod:`.db`)."""

from govmock.storage.db import Store

__all__ = ["Store"]
