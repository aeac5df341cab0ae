"""Generate the Python SDK from the checked-in OpenAPI document, as `make sdk` does."""

import re
import subprocess
import sys
from pathlib import Path

from app.cli import OPENAPI_PATH
from tests.servers import ROOT

CONFIG = ROOT / "tools" / "openapi-python-client.yaml"


def generate_sdk(out: Path) -> Path:
    """Write the `legwork_client` project into `out`; returns `out` (put it on sys.path)."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    command = [str(generator), "generate", "--path", str(OPENAPI_PATH), "--config", str(CONFIG)]
    done = subprocess.run(
        [*command, "--output-path", str(out), "--overwrite"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Every operation and response is generated, but an import's upload: openapi-python-client
    # takes no text/csv request body (send the file with any HTTP client: docs/imports.md).
    parsed = re.findall(r"WARNING parsing (\S+ \S+)", done.stdout)
    assert parsed in ([], ["POST /v1/athletes/{athlete_id}/imports"]), done.stdout
    return out
