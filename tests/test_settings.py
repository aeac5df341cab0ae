import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.config import Settings


def test_defaults_to_a_sqlite_file_in_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LEGWORK_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///legwork.db"


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    settings = Settings(database_url="postgresql://me@db.example/legwork")
    assert settings.database_url == "postgresql+psycopg://me@db.example/legwork"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("database_url", "not a url", "not a database URL"),
        ("database_url", "mysql://root@localhost/x", "unsupported database"),
        ("database_url", "sqlite://", "SQLite needs a file"),
        ("log_level", "loud", "log_level must be one of"),
        ("port", "0", "greater than or equal to 1"),
    ],
)
def test_nonsense_settings_are_rejected(field: str, value: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Settings(**{field: value})  # type: ignore[arg-type]


def test_reads_the_legwork_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGWORK_PORT", "9001")
    assert Settings().port == 9001


def test_cli_stops_at_start_up_with_a_clear_message() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        env={"LEGWORK_DATABASE_URL": "mysql://root@localhost/x", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "LEGWORK_DATABASE_URL" in result.stderr
    assert "unsupported database" in result.stderr
