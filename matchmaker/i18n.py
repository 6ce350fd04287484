"""Language selection: Chinese by default, English on request, remembered per session and user.

Each feature may keep its own catalog under `<package>/translations`; Flask-Babel merges them."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, session
from flask_login import current_user

from .config import PACKAGE_DIR
from .extensions import babel


def translation_directories() -> list[str]:
    return sorted(str(p) for p in PACKAGE_DIR.rglob("translations") if p.is_dir() and (p / "zh").is_dir())


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(translation_directories()))
    babel.init_app(app, locale_selector=select_locale)
