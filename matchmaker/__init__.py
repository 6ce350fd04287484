"""matchmaker: a platform for 大中小企业融通创新 — lead enterprises and SMEs paired along the chains
of the 2022 携手行动 notice. `create_app` assembles the web application from small steps."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

from .config import PROJECT_DIR, load_config

if TYPE_CHECKING:  # Flask is imported by create_app, so that `matchmaker.matching` stands alone
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    from flask import Flask

    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("MATCHMAKER_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(instance_path or PROJECT_DIR / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PROJECT_DIR / "static"),
    )
    load_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_template_helpers(app)
    register_engine(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table known before the first query)
    from .database import register_database
    from .errors import register_errorhandlers
    from .extensions import csrf, db, login_manager, migrate
    from .i18n import register_i18n
    from .security import register_security

    db.init_app(app)
    register_database(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    register_i18n(app)
    register_security(app)
    register_errorhandlers(app)


def register_blueprints(app: Flask) -> None:
    from .blueprints import BLUEPRINTS

    for blueprint in BLUEPRINTS():
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from .cli import COMMANDS

    for command in COMMANDS():
        app.cli.add_command(command)


def register_template_helpers(app: Flask) -> None:
    from .templating import register_templating

    register_templating(app)


def register_engine(app: Flask) -> None:
    from .engine.hooks import register

    register(app)
