"""The Alembic migrations build exactly the schema the models describe, on this test run's database."""

from __future__ import annotations

import os
import secrets

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from matchmaker import create_app
from matchmaker.extensions import db

from ..conftest import _pg_test_database


def test_migrations_match_the_models(tmp_path):
    base = os.environ.get("MATCHMAKER_TEST_DATABASE_URL")
    urls = _pg_test_database(base) if base else iter([f"sqlite:///{tmp_path / 'migrated.db'}"])
    url = next(urls)
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(8)})
        with app.app_context():
            from flask_migrate import downgrade, upgrade

            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            downgrade(revision="base")
            upgrade()
            db.engine.dispose()
    finally:
        for _ in urls:  # let the PostgreSQL generator drop its database
            pass
