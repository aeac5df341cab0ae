"""Real Legwork servers for tests: `python -m uvicorn app.main:app` as a child process.

Each server runs in a process group of its own (its uvicorn supervisor and worker processes),
so that it can be stopped gracefully or killed with SIGKILL as a whole, and is always killed
when the test ends. It listens on a free loopback port only.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# Rate limits far above anything a test sends, so that no 429 gets in the way.
UNLIMITED = "1000000/minute"
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
STDERR_TAIL_CHARS = 4000
TRACEBACK = "Traceback (most recent call last):"


def raised(text: str) -> list[str]:
    """The line naming the exception of each traceback in `text` (`package.module.Name:
    message`), whatever the exception is called: the first unindented line after the header."""
    found = []
    for block in text.split(TRACEBACK)[1:]:
        line = next((line for line in block.splitlines() if line[:1].strip()), None)
        if line is not None:
            found.append(line[:300])
    return found


class ServerError(RuntimeError):
    """The server did not start, or did not stop."""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def group_members(pgid: int, parent: int | None = None) -> list[int]:
    """Live (non-zombie) processes of process group `pgid` (those whose parent is `parent`)."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: signal 0 says whether anyone is left
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        in_group = len(fields) >= 3 and fields[0] != "Z" and int(fields[2]) == pgid
        if in_group and (parent is None or int(fields[1]) == parent):
            members.append(int(entry.name))
    return members


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Server:
    """`uvicorn app.main:app --workers N` (or another ASGI `app`) on a free port, against
    `database_url`."""

    def __init__(
        self,
        database_url: str,
        log_dir: Path,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
        name: str = "server",
        app: str = "app.main:app",
    ) -> None:
        self.app = app
        self.database_url = database_url
        self.workers = workers
        self.log_dir = log_dir
        self.name = name
        self.extra_env = env or {}
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.stderr_path = log_dir / f"{name}.stderr"
        self.stdout_path = log_dir / f"{name}.stdout"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _env(self) -> dict[str, str]:
        # Only the settings given here: nothing leaks in from the test run's LEGWORK_ variables.
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEGWORK_")}
        env.update(
            {
                "LEGWORK_DATABASE_URL": self.database_url,
                "LEGWORK_SECRET_KEY_FILE": str(self.log_dir / "legwork.key"),
                "LEGWORK_RATE_LIMIT_TOKEN": UNLIMITED,
                "LEGWORK_RATE_LIMIT_PUBLIC": UNLIMITED,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the workers, or the server itself with one worker
        (not their plan workers: app.cpu)."""
        if self.process is None:
            return []
        if self.workers == 1:
            return [self.process.pid]
        children = group_members(self.process.pid, parent=self.process.pid)
        return [pid for pid in children if b"resource_tracker" not in _command_line(pid)]

    def stderr_tail(self) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return "(no stderr)"
        return text[-STDERR_TAIL_CHARS:]

    def exceptions(self) -> Counter[str]:
        """The exceptions the server logged (every start), by their last traceback line: in
        text (uvicorn's) or in the `error` field of the app's JSON log lines."""
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return Counter()
        found = Counter(raised(text))
        for line in text.splitlines():
            if line.startswith("{") and '"error"' in line:
                with suppress(ValueError):
                    found.update(raised(json.loads(line).get("error", ""))[-1:])
        return found

    def _this_start_stderr(self) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""
        return text.split(f"=== start {self.starts} ===")[-1]

    def _started_workers(self) -> int:
        """How many workers of this start have logged 'Application startup complete'."""
        return self._this_start_stderr().count("Application startup complete")

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> "Server":
        """Start, and wait until /healthz answers and every worker has started."""
        if self.process is not None:
            raise ServerError(f"{self.name} is already running")
        for attempt in range(3):
            self._launch()
            try:
                self._wait_ready(timeout)
                return self
            except ServerError:
                self.kill()
                # Another process took the free port between our look and uvicorn's bind.
                if attempt < 2 and "already in use" in self._this_start_stderr():
                    continue
                raise
            except BaseException:
                self.kill()
                raise
        raise AssertionError("unreachable")

    def _launch(self) -> None:
        self.starts += 1
        self.port = free_port()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with self.stderr_path.open("a") as err:
            err.write(f"\n=== start {self.starts} ===\n")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            self.app,
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
        ]
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group: killpg reaches the workers
            )

    def _wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        healthy = False
        with httpx.Client(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code is not None:
                    raise ServerError(
                        f"{self.name} exited with status {code} while starting "
                        f"({self.database_url}); its stderr:\n{self.stderr_tail()}"
                    )
                if not healthy:
                    try:
                        healthy = client.get("/healthz").status_code == 200
                    except httpx.TransportError:
                        healthy = False
                if healthy and self._started_workers() >= self.workers:
                    return
                time.sleep(0.05)
        raise ServerError(
            f"{self.name} did not become ready within {timeout:.0f} s "
            f"(healthy={healthy}, workers started={self._started_workers()}/{self.workers}); "
            f"its stderr:\n{self.stderr_tail()}"
        )

    def _await_group_gone(self, pgid: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while group_members(pgid):
            if time.monotonic() > deadline:
                raise ServerError(f"{self.name}: processes {group_members(pgid)} survived")
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL the supervisor and every worker at once; wait until they are gone."""
        process, self.process = self.process, None
        if process is None:
            return
        pgid = process.pid
        with suppress(ProcessLookupError):  # already gone
            os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_S)
        self._await_group_gone(pgid, STOP_TIMEOUT_S)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """A graceful shutdown (SIGTERM to the supervisor, which stops its workers).

        True when every process left by itself within `timeout`; False when the rest of the
        group had to be killed."""
        process = self.process
        if process is None:
            return True
        pgid = process.pid
        graceful = False
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=timeout)
            self._await_group_gone(pgid, timeout)
            graceful = True
        except (subprocess.TimeoutExpired, ServerError):
            pass
        finally:
            # Whatever is left of the group (nothing, normally) goes now.
            self.process = process
            self.kill()
        return graceful

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.kill()
