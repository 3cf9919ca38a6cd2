"""Extension points of the shell that the domain apps fill from their ``AppConfig.ready()``.

* ``register_nav`` adds a navigation entry shown to the given roles;
* ``register_home_panel`` adds a panel to the home page of the given roles (what needs action, a queue);
* ``register_timeline_source`` adds entries to any object's timeline (e.g. the exchange's messages and
  receipts), so the shell shows them without importing the apps that own them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: object  # lazy translation
    url_name: str
    roles: frozenset[str]
    order: int = 100
    section: str = ""

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


@dataclass(frozen=True)
class HomePanel:
    roles: frozenset[str]
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel
    order: int = 100


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "audit", "message", "receipt", ...
    title: str
    detail: str = ""
    actor: str = ""
    from_state: str = ""
    to_state: str = ""
    code: str = ""
    raw_url: str = ""
    tone: str = "info"  # info, success, warning, error
    extra: dict = field(default_factory=dict)


_nav: list[NavItem] = []
_panels: list[HomePanel] = []
_timeline_sources: list[Callable] = []


def register_nav(label, url_name: str, roles: Iterable[str], order: int = 100, section: str = "") -> None:
    item = NavItem(label, url_name, frozenset(str(r) for r in roles), order, section)
    if item not in _nav:
        _nav.append(item)


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    names = user.role_names | ({"superuser"} if user.is_superuser else set())
    return sorted((i for i in _nav if i.roles & names), key=lambda i: (i.order, str(i.label)))


def register_home_panel(roles: Iterable[str], template: str, context: Callable, order: int = 100) -> None:
    panel = HomePanel(frozenset(str(r) for r in roles), template, context, order)
    if panel not in _panels:
        _panels.append(panel)


def home_panels_for(request) -> list[tuple[str, dict]]:
    names = request.user.role_names
    out = []
    for panel in sorted(_panels, key=lambda p: p.order):
        if panel.roles & names:
            ctx = panel.context(request)
            if ctx is not None:
                out.append((panel.template, ctx))
    return out


def register_timeline_source(source: Callable) -> None:
    """``source(obj, user)`` returns an iterable of ``TimelineEntry`` for ``obj`` (or nothing)."""
    if source not in _timeline_sources:
        _timeline_sources.append(source)


def timeline_sources() -> list[Callable]:
    return list(_timeline_sources)
