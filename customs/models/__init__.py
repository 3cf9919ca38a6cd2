"""Models of the customs app. Each module re-exports here; add new ones to ``__all__``."""

from customs.models.reference import (
    Country,
    Currency,
    CustomsOffice,
    HSCode,
    PackageType,
    ReferenceListInfo,
    SupervisedSite,
    TransportMode,
    Unit,
)

__all__ = [
    "Country",
    "Currency",
    "CustomsOffice",
    "HSCode",
    "PackageType",
    "ReferenceListInfo",
    "SupervisedSite",
    "TransportMode",
    "Unit",
]
