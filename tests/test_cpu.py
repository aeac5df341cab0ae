"""Worker processes for pure work (app.cpu.ProcessGroup): the answer is the in-process answer,
errors cross the process boundary intact, a dead worker is replaced, and workers are niced."""

import asyncio
import operator
import os
import pickle
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import errors
from app.catalog.service import get_catalog
from app.cli import migrate_to_head
from app.cpu import PLANS, WORKER_NICENESS, ProcessGroup, RemoteTraceback
from app.planning.generator import generate_plan
from app.planning.router import _plan_json
from app.planning.schemas import GenerationRequest
from app.responses import json_bytes
from tests.planning.test_generation_http import SEED_EXAMPLE
from tests.servers import Server, group_members


@pytest.fixture(scope="module")
def group() -> ProcessGroup:
    return ProcessGroup(lambda: 1)


@pytest.mark.anyio
async def test_a_plan_from_a_worker_is_the_plan_made_here() -> None:
    request = GenerationRequest.model_validate(SEED_EXAMPLE)
    here = json_bytes(generate_plan(request, get_catalog().exercises))
    assert await PLANS.run(_plan_json, request) == here


@pytest.mark.anyio
async def test_a_dead_worker_is_replaced(group: ProcessGroup) -> None:
    assert await group.run(operator.add, 1, 2) == 3
    with pytest.raises(errors.ProblemError) as raised:
        await group.run(_plan_json, GenerationRequest.model_validate({**SEED_EXAMPLE, "weeks": 1}))
    assert raised.value.status == 422
    # A worker that dies is replaced and its work tried once more; work that kills every
    # worker it meets fails after the second try, and the group still works afterwards.
    with pytest.raises(BrokenProcessPool):
        await group.run(os._exit, 1)
    assert await group.run(operator.mul, 6, 7) == 42


def _after(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def _share(part: int, whole: int) -> float:
    return part / whole


@pytest.mark.anyio
async def test_work_beyond_the_workers_waits_its_turn(group: ProcessGroup) -> None:
    """32 plans at once on one worker queue for it, as 32 connections asking for plans do."""
    answers = await asyncio.gather(*(group.run(operator.add, n, 1000) for n in range(32)))
    assert answers == [n + 1000 for n in range(32)]


@pytest.mark.anyio
async def test_calls_waiting_when_a_worker_dies_are_answered_by_its_replacement(
    group: ProcessGroup,
) -> None:
    """The worker is killed with a call running, one queued in its pipe and four waiting in
    this process: the two it held are tried once more, and all six are answered."""
    pid = await group.run(os.getpid)
    calls = [asyncio.ensure_future(group.run(_after, 0.2, f"call {n}")) for n in range(6)]
    await asyncio.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    assert await asyncio.gather(*calls) == [f"call {n}" for n in range(6)]
    assert await group.run(os.getpid) != pid


@pytest.mark.anyio
async def test_a_caller_that_gives_up_leaves_no_answer_behind(group: ProcessGroup) -> None:
    """The worker of a cancelled call finishes it; its answer is read and dropped, never given
    to the next caller, and the worker serves again."""
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(group.run(_after, 0.5, "given up"), timeout=0.05)
    assert await group.run(_after, 0.0, "next") == "next"
    pid = await group.run(os.getpid)
    assert await group.run(os.getpid) == pid  # the same worker: not replaced


@pytest.mark.anyio
async def test_an_error_says_where_in_the_worker_it_was_raised(group: ProcessGroup) -> None:
    with pytest.raises(ZeroDivisionError) as raised:
        await group.run(_share, 1, 0)
    assert isinstance(raised.value.__cause__, RemoteTraceback)
    assert "in _share" in str(raised.value.__cause__)


@pytest.mark.anyio
async def test_workers_give_way_to_the_server(group: ProcessGroup) -> None:
    here = os.nice(0)
    assert await group.run(os.nice, 0) == min(here + WORKER_NICENESS, 19)


@pytest.mark.anyio
async def test_size_zero_runs_in_this_process() -> None:
    inline = ProcessGroup(lambda: 0)
    assert await inline.run(os.getpid) == os.getpid()
    assert await PLANS.run(os.getpid) != os.getpid()


ERRORS = [
    errors.ProblemError,
    errors.Forbidden,
    errors.NotFound,
    errors.Conflict,
    errors.PreconditionFailed,
]


@given(
    detail=st.text(max_size=40),
    field=st.text(min_size=1, max_size=20),
    kind=st.sampled_from(ERRORS),
)
def test_problem_errors_survive_pickling(detail: str, field: str, kind: type) -> None:
    for error in (
        kind(detail, headers={"Retry-After": "1"}),
        errors.InvalidInput(field, detail),
        errors.Unauthorized(detail),
        errors.DatabaseBusyError(),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert copy.to_problem() == error.to_problem()
        assert copy.headers == error.headers
        assert str(copy) == str(error)


def _wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
    return alive


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2] == "Z"


def test_plan_workers_live_and_die_with_their_server(tmp_path: Path) -> None:
    """Real servers: plans come from worker processes, which leave on a graceful stop and when
    their server process is killed outright (no orphans holding memory)."""
    url = f"sqlite:///{tmp_path / 'cpu.db'}"
    migrate_to_head(url)
    for ending in ("stop", "kill the worker"):
        with Server(url, tmp_path, workers=2, name=f"cpu-{ending}") as server:
            r = httpx.post(f"{server.url}/v1/plans/generate", json=SEED_EXAMPLE, timeout=30)
            assert r.status_code == 200, r.text
            workers = server.worker_pids()
            assert server.process is not None
            group = server.process.pid
            helpers = [pid for w in workers for pid in group_members(group, parent=w)]
            assert len(workers) == 2
            assert helpers, "no plan worker processes beside the two server workers"
            if ending == "stop":
                assert server.stop(), "a process of the server did not leave by itself"
            else:
                for pid in workers:
                    os.kill(pid, signal.SIGKILL)
                assert _wait_gone(helpers, 10) == [], "plan workers outlived their server"


def _marked(mark: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return [pid for pid in found if not _zombie(pid)]


@pytest.mark.parametrize("wait_s", [0.0, 3.0])
def test_workers_leave_when_their_server_ends_without_a_word(wait_s: float) -> None:
    """The server process ends by os._exit (as multiprocessing ends uvicorn's workers) right
    after starting its workers, or once they run: none of them stays behind."""
    mark = f"legwork-cpu-test-{uuid.uuid4().hex}"
    script = (
        "import os, time\n"
        "from app.cpu import PLANS\n"
        "from app.planning.router import warm_up\n"
        "PLANS.start(warm_up)\n"
        f"time.sleep({wait_s})\n"
        "os._exit(0)\n"
    )
    env = {**os.environ, "LEGWORK_CPU_TEST_MARK": mark}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    deadline = time.monotonic() + 15
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked(mark) == []
