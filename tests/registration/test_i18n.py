"""The registration catalogue is complete and compiled, and pages speak Chinese by default."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _i18n():
    spec = importlib.util.spec_from_file_location("portal_i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_registration_catalogue_is_translated_and_compiled():
    problems = [p for p in _i18n().problems() if p.startswith("registration/")]
    assert problems == []


@pytest.mark.django_db
def test_pages_default_to_chinese(client, enterprise_admin):
    client.force_login(enterprise_admin)
    html = client.get("/registration/filings/").content.decode()
    assert "主体备案" in html and "新建备案" in html
    client.logout()  # a logged-in user is sent home from the sign-up page: ask as a visitor
    signup = client.get("/registration/signup/")
    assert signup.status_code == 200
    assert "企业注册" in signup.content.decode()
