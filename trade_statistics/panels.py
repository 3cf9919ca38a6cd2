"""The statistics official's home panel: the dashboard's link and two headline figures."""

from django.urls import reverse

from portal.choices import Role
from portal.ui import register_home_panel
from trade_statistics import selectors
from trade_statistics.policies import may_view_statistics


def statistics_panel(request) -> dict | None:
    if not may_view_statistics(request.user):
        return None
    figures = selectors.headline(user=request.user)
    return {**figures, "url": reverse("trade_statistics:dashboard")}


def register() -> None:
    register_home_panel(
        [Role.STATISTICS_OFFICIAL], "trade_statistics/panels/statistics.html", statistics_panel, 10
    )
