"""What the API offers and what the kit covers: the views under ``/api/v1/``, the kit's test classes and the
scoped models (used by test_coverage.py; each function takes its inputs so that test_kit.py can feed it a
URL configuration with a viewset nobody tested)."""

import importlib
import re
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.urls import URLResolver, get_resolver, resolve

from portal.api.viewsets import ScopedViewSetMixin
from tests.kit.api import EndpointTests, ScopedApiTests, _Kit

API_PREFIX = "api/v1/"
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")  # a regex route's named group, shown as <name>
TESTS = Path(__file__).resolve().parent.parent


def dotted(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def api_views(urlconf=None) -> dict[type, list[str]]:
    """Every view class routed under ``/api/v1/`` with its routes (DRF views carry ``cls``, Django's
    ``view_class``; a plain function counts as its own class)."""
    found: dict[type, list[str]] = defaultdict(list)

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + GROUP.sub(r"<\1>", str(pattern.pattern).lstrip("^").replace("$", ""))
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith(API_PREFIX) and "format>" not in route:  # not the format-suffix copies
                callback = pattern.callback
                view = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
                found[view].append(f"/{route}")

    walk(get_resolver(urlconf).url_patterns, "")
    return dict(found)


def kit_classes() -> list[type]:
    """The kit's test classes pytest collects (``Test*``), after importing every test module that uses it."""
    for path in sorted(TESTS.rglob("test_*.py")):
        if "tests.kit.api" in path.read_text(encoding="utf-8"):
            importlib.import_module(".".join(path.relative_to(TESTS.parent).with_suffix("").parts))
    found, todo = [], list(_Kit.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__name__.startswith("Test") and cls.url:
            found.append(cls)
    return sorted(set(found), key=dotted)


def covered(kits, urlconf=None) -> dict[type, list[type]]:
    """``{view class: [kit classes testing it]}`` for the kit classes mounted on ``urlconf``."""
    views: dict[type, list[type]] = defaultdict(list)
    for kit in kits:
        if kit.urlconf == urlconf:
            views[resolve(kit.url, urlconf=urlconf).func.cls].append(kit)
    return dict(views)


def is_scoped(view) -> bool:
    return isinstance(view, type) and issubclass(view, ScopedViewSetMixin)


def gaps(views: dict, tested: dict, allowed: dict) -> list[str]:
    """Views without a kit test, one line each: a scoped viewset needs ``ScopedApiTests``, any other view an
    ``EndpointTests`` (or a reason in ``allowed``)."""
    lines = []
    for view, routes in sorted(views.items(), key=lambda item: dotted(item[0])):
        scoped = is_scoped(view)
        base = ScopedApiTests if scoped else EndpointTests
        if any(issubclass(kit, base) for kit in tested.get(view, ())):
            continue
        if not scoped and dotted(view) in allowed:
            continue
        shown = ", ".join(sorted(routes)[:2]) + (", ..." if len(routes) > 2 else "")
        lines.append(f"{dotted(view)} ({shown}): no {base.__name__} subclass")
    return lines


def model_label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def scoped_models() -> list:
    """Models an organisation owns (``owner_field``) or whose rows ``visible_to(user)`` filters; test-only
    apps (tests/kitapp, tests/intake_app) are not the portal's."""
    return [
        model
        for model in apps.get_models()
        if not model.__module__.startswith("tests.")
        and (
            getattr(model, "owner_field", None)
            or callable(getattr(model._default_manager, "visible_to", None))
        )
    ]


def served_models(tested: dict) -> set[str]:
    """The models of the scoped viewsets a ``ScopedApiTests`` class covers."""
    served = set()
    for view, kits in tested.items():
        if is_scoped(view) and any(issubclass(kit, ScopedApiTests) for kit in kits):
            served.add(model_label(view.queryset_model or view.queryset.model))
    return served
