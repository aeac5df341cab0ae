import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import Session

from app.auth.models import Account
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
        assert session.get(Account, principal.account_id).name == "Track Club"  # type: ignore[union-attr]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_listens_where_the_settings_say(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "LEGWORK_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "LEGWORK_HOST": "127.0.0.1",
        "LEGWORK_PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, "legwork serve exited"
                assert time.monotonic() < deadline, "legwork serve did not answer"
                time.sleep(0.2)
        assert answer.status_code == 200
        home = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert home.status_code == 307
        assert home.headers["location"] == "/docs"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in output


def test_make_run_leaves_host_and_port_to_the_settings_unless_given() -> None:
    env = {**os.environ, "LEGWORK_PORT": "9123", "PORT": "1", "HOST": "0.0.0.0"}

    def serve_line(*args: str) -> str:
        result = subprocess.run(
            ["make", "-n", "run", *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return next(line for line in result.stdout.splitlines() if " serve" in line)

    assert "--port" not in serve_line()
    assert "--host" not in serve_line()
    assert "--port 9001" in serve_line("PORT=9001")
    assert "--host 0.0.0.0" in serve_line("HOST=0.0.0.0")
