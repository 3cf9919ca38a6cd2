"""Extension points of the shell that the domain apps fill from their ``AppConfig.ready()``.

* ``register_nav`` adds a navigation entry shown to the given roles;
* ``register_home_panel`` adds a panel to the home page of the given roles (what needs action, a queue);
* ``register_timeline_source(models, source)`` adds entries to the timeline of those models' objects (e.g. the
  exchange's messages and receipts), so the shell shows them without importing the apps that own them;
* ``register_audit_presenter`` says how the audit events of one model read on its timeline: one plain
  sentence per business event, in the reader's language, or nothing for a step that is no business event
  of its own (ADR 0025).
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
    """One business event as a person reads it.

    ``title`` is one plain sentence ("Sent to customs", "Customs registered it: customs code 3301960002"),
    ``detail`` what a person needs beside it (a reason, a note). Entries are shown grouped: ``group`` is a
    key (empty: the object itself), ``group_label`` its heading, ``group_order`` its place. ``technical``
    (label, value) pairs, ``code`` and ``raw_url`` (or ``links``: (label, url) pairs) are for officers and
    administrators only, behind a "technical details" disclosure. ``from_state``/``to_state`` are status
    labels (the API's timeline carries them). Consecutive entries of one group with the same non-empty
    ``merge_key`` are shown as one, their ``items`` joined (a series of edits of a draft).
    """

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
    group: str = ""
    group_label: str = ""
    group_order: int = 0
    technical: list = field(default_factory=list)
    links: list = field(default_factory=list)
    merge_key: str = ""
    items: list = field(default_factory=list)


@dataclass
class Described:
    """What an audit presenter says of one event (see ``register_audit_presenter``)."""

    title: str
    detail: str = ""
    group: str = ""
    group_label: str = ""
    group_order: int = 0
    tone: str = ""
    merge_key: str = ""
    items: list = field(default_factory=list)


_nav: list[NavItem] = []
_panels: list[HomePanel] = []
# ``(models, source)`` in registration order (see ``register_timeline_source``).
_timeline_sources: list[tuple[object, Callable]] = []
_audit_presenters: dict[str, Callable] = {}


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


def register_timeline_source(models, source: Callable) -> None:
    """``source(obj, user)`` returns an iterable of ``TimelineEntry`` for ``obj``, an instance of one of
    ``models`` (or of a subclass): a source is asked only for its models. ``models``: a model class, an
    "app.Model" label, a list of them, or a callable returning them, asked each time (the exchange's source
    is for whatever models are bound as message subjects, which apps bind after it registers)."""
    if (models, source) not in _timeline_sources:
        _timeline_sources.append((models, source))


def _labels(models) -> set[str]:
    if callable(models) and not isinstance(models, type):
        models = models()
    if isinstance(models, str | type):
        models = [models]
    return {m if isinstance(m, str) else m._meta.label for m in models}


def timeline_sources(obj) -> list[Callable]:
    """The sources registered for ``obj``'s model or one of its model ancestors, in registration order."""
    labels = {cls._meta.label for cls in type(obj).__mro__ if "_meta" in vars(cls)}
    return [source for models, source in _timeline_sources if labels & _labels(models)]


def register_audit_presenter(model_label: str, presenter: Callable) -> None:
    """``presenter(event, context)`` for the audit events of ``model_label`` ("app.model") on a timeline:
    a ``Described``, ``None`` for the shell's generic sentence, or ``False`` to leave the event out of the
    story (it stays in the audit trail). ``context`` is a dict shared by one timeline's presenter calls
    (to load related rows once)."""
    _audit_presenters[model_label.lower()] = presenter


def audit_presenter(model_label: str) -> Callable | None:
    return _audit_presenters.get(model_label.lower())
