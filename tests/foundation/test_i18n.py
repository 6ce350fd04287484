"""Chinese by default, English on request, and every visible string translated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from matchmaker.i18n import translation_directories

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}


def extracted_messages() -> dict[str, str]:
    """Every translatable string in the code and templates, with where it stands."""
    found: dict[str, str] = {}
    method_map = [("**.py", "python"), ("**.html", "jinja2")]
    for folder in ("matchmaker", "templates"):
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=method_map, keywords=KEYWORDS
        ):
            key = message[0] if isinstance(message, tuple) else message
            if key:
                found.setdefault(key, f"{folder}/{filename}")
    return found


def chinese_translations() -> dict[str, str]:
    merged: dict[str, str] = {}
    for directory in translation_directories():
        for po in sorted(Path(directory).glob("zh/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                for message in read_po(fh):
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    text = message.string[0] if isinstance(message.string, tuple) else message.string
                    if key and text and not message.fuzzy:
                        merged.setdefault(key, text)
    return merged


def test_every_visible_string_has_a_chinese_translation():
    translations = chinese_translations()
    missing = {msg: where for msg, where in extracted_messages().items() if msg not in translations}
    assert missing == {}, f"{len(missing)} strings without a Chinese translation"


def test_chinese_is_the_default_and_english_can_be_chosen(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "登录" in html
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Log in" in html and "登录" not in html


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en?next=https://evil.example.com/")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_logged_in_users_language_is_remembered(app, client, auth):
    user = auth.as_role("sme")
    client.get("/lang/en")
    assert user.locale == "en"
    client.post("/logout")
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": "correct horse 电池 staple"})
    assert "Dashboard" in other.get("/dashboard").get_data(as_text=True)
