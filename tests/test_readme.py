"""The README's integrator path runs as written: its `sh` blocks in one bash script, then its
`python` blocks with the SDK `make sdk` generates, against a real server."""

import os
import re
import subprocess
import sys
from pathlib import Path

from app.cli import migrate_to_head
from tests.databases import TemporaryDatabase
from tests.sdk.generate import generate_sdk
from tests.servers import ROOT, Server

SECTION = "## Integrating: the first ten minutes"
BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```$", re.M | re.S)
README_BASE = "http://127.0.0.1:8000"


def integrator_blocks() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return BLOCK.findall(section)


def test_the_readme_integrator_path_runs(tmp_path: Path) -> None:
    blocks = integrator_blocks()
    assert [kind for kind, _ in blocks].count("python") >= 1
    database = TemporaryDatabase("sqlite", tmp_path, None)
    migrate_to_head(database.url)
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(ROOT / ".venv")  # the README calls .venv/bin/legwork
    sdk = generate_sdk(tmp_path / "legwork-client")
    env = {**os.environ, "LEGWORK_DATABASE_URL": database.url, "PYTHONPATH": str(sdk)}

    with Server(database.url, tmp_path, name="readme") as server:
        script = "\n".join(code for kind, code in blocks if kind == "sh")
        script = script.replace(README_BASE, server.url)
        script += '\nprintf "BASE=%s\\nTOKEN=%s\\nATHLETE=%s\\n" "$BASE" "$TOKEN" "$ATHLETE"\n'
        shell = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert shell.returncode == 0, shell.stdout + shell.stderr
        exported = dict(line.split("=", 1) for line in shell.stdout.splitlines() if "=" in line)
        assert exported["TOKEN"].startswith("lw_")
        assert '"exercises"' in (work / "routine.json").read_text()
        assert (work / "progress.csv").read_text().startswith("start,end,")

        for kind, code in blocks:
            if kind == "python":
                ran = subprocess.run(
                    [sys.executable, "-c", code],
                    cwd=work,
                    env={**env, **exported},
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                assert ran.returncode == 0, ran.stdout + ran.stderr
                # One workout: the retry with the same Idempotency-Key stored nothing new.
                assert "1 workout(s), 2 sets in November" in ran.stdout, ran.stdout
