"""Alembic environment: runs inside the Flask app so the models and URL are the app's."""

from alembic import context
from flask import has_app_context

from lms.extensions import db


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=db.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    if has_app_context():
        import lms.models  # noqa: F401

        with db.engine.connect() as connection:
            _run(connection)
            connection.commit()
        return
    from lms import create_app

    with create_app().app_context():
        run_migrations_online()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run flask --app lms db upgrade.")
run_migrations_online()
