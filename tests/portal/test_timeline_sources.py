"""Timeline sources are keyed by model (``portal.ui.register_timeline_source(models, source)``): a source is
asked only for objects of its models, and the apps' sources are registered for theirs."""

import pytest

from customs.models import InventoryList, Order
from customs.timeline import customs_timeline
from exchange.timeline import exchange_timeline
from portal import ui
from portal.models import Organisation
from portal.timeline import timeline_for
from registration.models import EntityFiling
from registration.timeline import qualification_timeline
from tests.kitapp.models import Widget


@pytest.fixture
def sources(monkeypatch):
    """The registry as the apps left it, restored after the test."""
    monkeypatch.setattr(ui, "_timeline_sources", list(ui._timeline_sources))
    return ui


def test_each_app_s_source_is_registered_for_its_models():
    assert set(ui.timeline_sources(EntityFiling())) == {qualification_timeline, exchange_timeline}
    for model in (Order, InventoryList):
        assert set(ui.timeline_sources(model())) == {customs_timeline, exchange_timeline}
    assert ui.timeline_sources(Organisation()) == []


def test_a_source_is_asked_only_for_its_models(sources, db, django_user_model):
    asked = []

    def widget_source(obj, user):
        asked.append(obj)
        return []

    sources.register_timeline_source(Widget, widget_source)
    sources.register_timeline_source(Widget, widget_source)  # registering twice is once
    assert sources.timeline_sources(Widget()).count(widget_source) == 1
    organisation = Organisation.objects.create(name_cn="某公司", code="ORG-1")
    user = django_user_model.objects.create_user(username="reader", password="x")
    timeline_for(organisation, user)
    assert asked == []


def test_models_may_be_labels_or_a_callable_asked_each_time(sources):
    bound = []

    def later(obj, user):
        return []

    sources.register_timeline_source(lambda: bound, later)
    assert later not in sources.timeline_sources(Widget())
    bound.append("kitapp.Widget")
    assert later in sources.timeline_sources(Widget())


def test_the_exchange_s_source_is_for_the_models_messages_are_about(monkeypatch):
    from exchange import registry

    assert exchange_timeline not in ui.timeline_sources(Organisation())
    monkeypatch.setattr(registry, "_subjects", {Organisation})
    assert exchange_timeline in ui.timeline_sources(Organisation())
