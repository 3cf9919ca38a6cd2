"""Loaded by ``tests/conftest.py``: a kit test with nothing to run for an endpoint (no hidden roles, no
forbidden role, no illegal state) is left out of the run instead of being reported as skipped."""

EMPTY = "got empty parameter set"


def pytest_collection_modifyitems(config, items):
    from tests.kit.api import _Kit

    kept, dropped = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        empty = any(
            mark.name == "skip" and str(mark.kwargs.get("reason", "")).startswith(EMPTY)
            for mark in item.iter_markers()
        )
        (dropped if cls is not None and issubclass(cls, _Kit) and empty else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
