"""What every registration page does with a filing: the shell's scoped lookup and service runner."""

from portal.views.scoped import run_service as run
from portal.views.scoped import scoped_object
from registration.models import EntityFiling

__all__ = ["run", "visible_filing"]


def visible_filing(request, pk: int) -> EntityFiling:
    """The filing if the user may see it; another organisation's filing is simply not found (404)."""
    return scoped_object(
        request, EntityFiling, pk, select_related=("owner", "assigned_to", "previous", "claim")
    )
