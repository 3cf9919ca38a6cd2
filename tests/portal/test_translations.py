"""Every catalogue is complete, keeps its placeholders and is compiled; Chinese really is what users see."""

import importlib.util
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

ROOT = Path(__file__).resolve().parents[2]


def _i18n_script():
    spec = importlib.util.spec_from_file_location("portal_i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_catalogue_is_translated_and_compiled():
    problems = _i18n_script().problems()
    assert not problems, "translation catalogues need work:\n" + "\n".join(problems)


def test_the_check_finds_an_untranslated_string_and_a_broken_placeholder(tmp_path, monkeypatch):
    import polib

    script = _i18n_script()
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    po.append(polib.POEntry(msgid="Hello", msgstr=""))
    po.append(polib.POEntry(msgid="%(count)d items", msgstr="%(n)d 项", flags=["python-format"]))
    po.append(polib.POEntry(msgid="Fine", msgstr="好"))
    path = tmp_path / "django.po"
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    monkeypatch.setattr(script, "catalogues", lambda: [path])
    monkeypatch.setattr(script, "ROOT", tmp_path)

    found = script.problems()
    assert any("untranslated: 'Hello'" in p for p in found)
    assert any("placeholders" in p and "%(count)d items" in p for p in found)
    assert not any("'Fine'" in p for p in found)


def _catalogue(path, entries):
    import polib

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    for msgid, msgstr in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["python-format"] if "%" in msgid else []))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return path


def test_the_check_finds_a_term_translated_differently_by_two_apps(tmp_path, monkeypatch):
    """Django merges the catalogues: the second translation of "Active" would be silently ignored, so a
    filing's status read one way on one page and another elsewhere (正常 / 有效 / 已生效)."""
    script = _i18n_script()
    one = _catalogue(tmp_path / "a" / "django.po", [("Active", "已生效"), ("Draft", "草稿")])
    two = _catalogue(tmp_path / "b" / "django.po", [("Active", "正常"), ("Draft", "草稿")])
    monkeypatch.setattr(script, "catalogues", lambda: [one, two])
    monkeypatch.setattr(script, "ROOT", tmp_path)
    found = script.problems()
    assert len(found) == 1 and "'Active'" in found[0] and "正常" in found[0] and "已生效" in found[0]


@pytest.mark.parametrize(
    ("msgstr", "wrong"),
    [
        ("本备案需提交：%(kinds)s.", True),  # a full stop after Chinese (a placeholder is Chinese)
        ("原因：%(reason)s。。", True),
        ("物流, 快递", True),
        ("杭州市(330100)", True),
        ("原因：%(reason)s。请补正后重新提交。", False),
        ("%(n)s 项 · SHA-256 · 1.5 KB", False),
    ],
)
def test_the_check_finds_ascii_punctuation_in_chinese(tmp_path, monkeypatch, msgstr, wrong):
    script = _i18n_script()
    placeholders = " ".join(script.PLACEHOLDER.findall(msgstr))
    path = _catalogue(tmp_path / "django.po", [(f"Some text {placeholders}".strip(), msgstr)])
    monkeypatch.setattr(script, "catalogues", lambda: [path])
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert bool(script.problems()) is wrong, script.problems()


@pytest.mark.parametrize(
    ("source", "chinese"),
    [
        ("Log in", "登录"),
        ("Skip to main content", "跳转到主要内容"),
        ("Customs officer", "海关关员"),
        ("Outbox health", "发送队列状态"),  # the exchange app's own catalogue
        ("Customs desk", "海关工作台"),  # the customs app's catalogue
    ],
)
def test_chinese_is_served_from_the_compiled_catalogues(source, chinese):
    with translation.override("zh-hans"):
        assert gettext(source) == chinese
    with translation.override("en"):
        assert gettext(source) == source


def test_chinese_plural_uses_its_single_form():
    with translation.override("zh-hans"):
        for n in (1, 2, 5):
            text = ngettext("%(counter)s unread notification", "%(counter)s unread notifications", n) % {
                "counter": n
            }
            assert text == f"{n} 条未读通知"
