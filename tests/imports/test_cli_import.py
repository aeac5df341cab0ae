"""`legwork import FILE --athlete ID`: the same import from the command line."""

from pathlib import Path

from fastapi.testclient import TestClient

from app.db import database_sessions
from app.main import create_app
from tests.test_cli import _legwork

FIXTURES = Path(__file__).with_name("fixtures")


def test_import_command_imports_once_and_refuses_a_malformed_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _legwork("migrate", database_url=url).returncode == 0
    token = _legwork("account", "create", "Mover", database_url=url).stdout.splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app()
    app.state.sessions = database_sessions(url)
    with TestClient(app) as client:
        athlete = client.post(
            "/v1/athletes", json={"name": "Ada", "level": "beginner"}, headers=headers
        ).json()["id"]
        fixture = str(FIXTURES / "hevy_lb.csv")
        first = _legwork("import", fixture, "--athlete", athlete, database_url=url)
        assert first.returncode == 0, first.stderr
        assert "1 workouts created (7 sets), 0 skipped" in first.stdout
        again = _legwork(
            "import", fixture, "--athlete", athlete, "--source", "hevy", database_url=url
        )
        assert again.returncode == 0, again.stderr
        assert "0 workouts created (0 sets), 1 skipped" in again.stdout

        bad = tmp_path / "bad.csv"
        bad.write_text(
            (FIXTURES / "strong_comma_kg.csv").read_text().replace(",80,5,", ",eighty,5,", 1)
        )
        refused = _legwork("import", str(bad), "--athlete", athlete, database_url=url)
        assert refused.returncode == 1
        assert "line 3, column Weight" in refused.stderr
        workouts = client.get(f"/v1/athletes/{athlete}/workouts", headers=headers).json()
        assert len(workouts["items"]) == 1

    missing = _legwork(
        "import", fixture, "--athlete", "00000000-0000-4000-8000-000000000000", database_url=url
    )
    assert missing.returncode == 2
    assert "no athlete" in missing.stderr
