"""A new store is created without Alembic (the tables of fleetaudit.storage.schema, stamped
with the newest revision): it must be the very store the migrations build, on SQLite and on
PostgreSQL, and an upgrade must still run the migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import HistoryDb
from sqlalchemy import Connection, Engine, MetaData, inspect

from fleetaudit.storage import migrate
from fleetaudit.storage.engine import make_engine, writing
from fleetaudit.storage.location import parse_location
from fleetaudit.storage.schema import metadata


def schema_of(connection: Connection) -> dict[str, Any]:
    """Every table's columns, keys, indexes and constraints as the database reports them."""
    inspector = inspect(connection)
    tables: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        tables[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table),
            "foreign_keys": sorted(
                map(repr, inspector.get_foreign_keys(table)),
            ),
            "indexes": sorted(map(repr, inspector.get_indexes(table))),
            "unique": sorted(map(repr, inspector.get_unique_constraints(table))),
        }
    return tables


def version_of(connection: Connection) -> list[str]:
    return list(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def engine_of(history_db: HistoryDb) -> Engine:
    location = parse_location(history_db.url, "test")
    if isinstance(location, Path):
        location.parent.mkdir(parents=True, exist_ok=True)
    return make_engine(location)


def drop_everything(engine: Engine) -> None:
    with writing(engine) as connection:
        reflected = MetaData()
        reflected.reflect(connection)
        reflected.drop_all(connection)


def test_a_new_store_is_the_store_the_migrations_build(history_db: HistoryDb) -> None:
    engine = engine_of(history_db)
    try:
        with writing(engine) as connection:
            migrate.create_at_head(connection)
        with writing(engine) as connection:
            created = schema_of(connection), version_of(connection)
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        drop_everything(engine)

        with writing(engine) as connection:
            command.upgrade(migrate.alembic_config(connection), "head")
        with writing(engine) as connection:
            migrated = schema_of(connection), version_of(connection)
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        engine.dispose()

    assert set(created[0]) == {*migrate.TABLES, "alembic_version"}
    assert created == migrated
    assert created[1] == [migrate.HEAD]


def test_a_store_at_an_older_revision_is_still_migrated(history_db: HistoryDb) -> None:
    engine = engine_of(history_db)
    try:
        with writing(engine) as connection:
            command.upgrade(migrate.alembic_config(connection), migrate.BASELINE)
    finally:
        engine.dispose()
    history_db.store().close()  # opening it upgrades it
    assert history_db.sql("SELECT version_num FROM alembic_version") == [(migrate.HEAD,)]
    assert "pos" in {c["name"] for c in _columns(history_db, "hosts")}


def _columns(history_db: HistoryDb, table: str) -> list[dict[str, Any]]:
    engine = engine_of(history_db)
    try:
        with engine.connect() as connection:
            return list(inspect(connection).get_columns(table))
    finally:
        engine.dispose()
