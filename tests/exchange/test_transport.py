"""The HTTP client to the departments: environment proxies are ignored, an explicit proxy applies."""

import importlib

import pytest
from django.test import override_settings

from exchange import transport


@pytest.fixture
def reload_transport():
    yield
    importlib.reload(transport)  # back to the settings of the run


def test_environment_proxies_are_ignored(monkeypatch, reload_transport):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    importlib.reload(transport)
    assert transport._session.trust_env is False
    assert transport._session.proxies == {}


def test_explicit_proxy_applies_to_both_schemes(reload_transport):
    with override_settings(EXCHANGE_PROXY_URL="http://exchange-proxy.internal:3128"):
        importlib.reload(transport)
        assert transport._session.proxies == {
            "http": "http://exchange-proxy.internal:3128",
            "https": "http://exchange-proxy.internal:3128",
        }
