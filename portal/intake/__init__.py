"""Bulk intake: Excel and XML uploads imported all-or-nothing by a worker (ADR 0021).

What a domain app uses::

    from portal.intake import Column, Importer, Problem, RowProblems, register_importer
    from portal.intake.services import import_start

This module imports no model, so an app may import it at module level.
"""

from portal.intake.columns import CODE, DATE, DECIMAL, INT, TEXT, Column
from portal.intake.registry import (
    ROW,
    Importer,
    NotAllowed,
    Problem,
    RowProblems,
    get_importer,
    register_importer,
)

__all__ = [
    "CODE",
    "DATE",
    "DECIMAL",
    "INT",
    "ROW",
    "TEXT",
    "Column",
    "Importer",
    "NotAllowed",
    "Problem",
    "RowProblems",
    "get_importer",
    "register_importer",
]
