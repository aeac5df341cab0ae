"""The schema exists only through alembic: empty → head → base → head, and no drift."""

import pytest
from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect

from app.cli import alembic_config
from tests.conftest import BACKENDS
from tests.databases import TemporaryDatabase

TABLES = {
    "accounts",
    "api_tokens",
    "athletes",
    "workouts",
    "workout_exercises",
    "workout_sets",
    "custom_exercises",
    "idempotency_keys",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_upgrade_downgrade_upgrade_without_drift(empty_database: TemporaryDatabase) -> None:
    config = alembic_config(empty_database.url)
    assert _tables(empty_database.url) == set()

    command.upgrade(config, "head")
    assert _tables(empty_database.url) == TABLES
    command.check(config)  # raises when the models and the migrations disagree

    command.downgrade(config, "base")
    assert _tables(empty_database.url) == set()

    command.upgrade(config, "head")
    assert _tables(empty_database.url) == TABLES
    command.check(config)


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_check_notices_an_unmigrated_database(empty_database: TemporaryDatabase) -> None:
    with pytest.raises(CommandError):
        command.check(alembic_config(empty_database.url))


def test_constraints_and_indexes_are_named() -> None:
    from sqlmodel import SQLModel

    import app.models  # noqa: F401

    for table in SQLModel.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, (table.name, constraint)
        for index in table.indexes:
            assert index.name, (table.name, index)
    sets = SQLModel.metadata.tables["workout_sets"]
    assert any(
        [c.name for c in index.columns][:2] == ["athlete_id", "local_date"]
        for index in sets.indexes
    ), "progress metrics read an athlete's sets by date"
