import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session

from app.auth.service import authenticate
from app.db import make_engine
from app.enums import Scope
from app.main import create_app


def _legwork(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEGWORK_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_migrate_then_account_create_prints_a_working_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrated = _legwork("migrate", database_url=url)
    assert migrated.returncode == 0, migrated.stderr

    created = _legwork("account", "create", "Track Club", database_url=url)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("lw_")
    assert " " not in token

    engine = make_engine(url)
    with Session(engine) as session:
        principal = authenticate(session, token)
        assert principal is not None
        assert principal.account.name == "Track Club"
        assert principal.scopes == frozenset(Scope)
    engine.dispose()


def test_account_name_must_not_be_blank(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _legwork("migrate", database_url=url).returncode == 0
    result = _legwork("account", "create", "  ", database_url=url)
    assert result.returncode == 2
    assert "NAME" in result.stderr


def test_openapi_command_writes_what_the_app_serves(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    result = _legwork("openapi", "--output", str(out), database_url="sqlite:///unused.db")
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text()) == create_app().openapi()
