"""Each app contributes its own settings, queues, beat entries and body caps (portal/settings/apps.py)."""

import types

import pytest

from portal.settings import apps as settings_apps


def _base(**extra):
    return {"PROJECT_APPS": ["one", "two"], "CELERY_BEAT_SCHEDULE": {"shell": {}}, **extra}


def _with_confs(monkeypatch, confs):
    monkeypatch.setattr(
        settings_apps,
        "_conf_module",
        lambda app: types.SimpleNamespace(contribute=confs[app]) if app in confs else None,
    )


def test_contributions_are_merged(monkeypatch):
    _with_confs(
        monkeypatch,
        {
            "one": lambda base: {
                "ONE_LIMIT": 3,
                "CELERY_TASK_QUEUES": ["q.one"],
                "CELERY_BEAT_SCHEDULE": {"one-job": {}},
                "REQUEST_BODY_MAX_BYTES_BY_PATH": {"/one/": 10, "/shared/": 5},
            },
            "two": lambda base: {"TWO_FLAG": base["PROJECT_APPS"][1] == "two"},
        },
    )
    found = settings_apps.collect(_base(REQUEST_BODY_MAX_BYTES_BY_PATH={"/shared/": 99}))
    assert found["ONE_LIMIT"] == 3 and found["TWO_FLAG"] is True
    assert found["CELERY_TASK_QUEUES"] == ["q.one"]
    assert set(found["CELERY_BEAT_SCHEDULE"]) == {"shell", "one-job"}
    # The operator's variable wins over an app's default cap.
    assert found["REQUEST_BODY_MAX_BYTES_BY_PATH"] == {"/one/": 10, "/shared/": 99}


def test_an_app_may_not_redefine_the_shell_or_another_apps_job(monkeypatch):
    _with_confs(monkeypatch, {"one": lambda base: {"DEBUG": True}})
    with pytest.raises(ValueError, match="shell settings"):
        settings_apps.collect(_base(DEBUG=False))
    _with_confs(monkeypatch, {"one": lambda base: {"CELERY_BEAT_SCHEDULE": {"shell": {}}}})
    with pytest.raises(ValueError, match="redefines CELERY_BEAT_SCHEDULE"):
        settings_apps.collect(_base())


def test_the_real_apps_contribute_their_settings(settings):
    assert settings.REGISTRATION_SLA_WORKING_DAYS == 5
    assert "exchange-sweep" in settings.CELERY_BEAT_SCHEDULE
    assert (
        settings.REQUEST_BODY_MAX_BYTES_BY_PATH["/registration/"] > settings.REGISTRATION_ATTACHMENT_MAX_BYTES
    )
