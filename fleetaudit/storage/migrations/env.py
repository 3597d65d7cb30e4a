"""Alembic's environment for the store: always run from :mod:`fleetaudit.storage.migrate`,
on the connection (and inside the transaction) it hands over."""

from __future__ import annotations

from alembic import context

from fleetaudit.storage.schema import metadata


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "config", None) is not None:  # run by Alembic (not imported by pytest)
    run()
