"""CPU-heavy work off the event loop: a thread apart from the shared pool for work that needs
the request's database session (progress over years), and worker processes for pure work
(plans).

Such work holds the GIL for tens of milliseconds. On the event loop it would stall every other
request; in the thread pool, thirty of them at once would share one core anyway while each
holding its memory. One thread per process runs them in turn (`run_heavy`) and the 1 ms switch
interval (app.main) keeps the loop responsive — but only between bytecodes: C code such as
pydantic's serialisation of a 500 KB plan keeps the GIL for milliseconds, and every await of
another request waits for it. Work that needs nothing but its arguments therefore goes to a
worker process (`PLANS`), where it cannot hold this process's GIL at all."""

import asyncio
import fcntl
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

from app import malloc
from app.config import get_settings

T = TypeVar("T")
WORKER_NICENESS = 10
PARENT_CHECK_S = 0.25
# A plan's JSON is ~500 KB. Through the default 64 KB pipe it crosses in 8 chunks, each a
# switch between the worker and the server's reader thread: ~1 ms more than a small answer on
# a busy 2-core VM; through a 1 MB pipe (Linux's default limit for a user) ~0.2 ms more.
RESULT_PIPE_BYTES = 1 << 20
P = ParamSpec("P")


class ThreadGroup:
    """At most `size` threads for one kind of work, apart from the shared thread pool; one
    limiter per event loop (a limiter belongs to the loop it was made in)."""

    def __init__(self, name: str, size: int) -> None:
        self._limiters = RunVar[anyio.CapacityLimiter](name)
        self._size = size

    def limiter(self) -> anyio.CapacityLimiter:
        try:
            return self._limiters.get()
        except LookupError:
            limiter = anyio.CapacityLimiter(self._size)
            self._limiters.set(limiter)
            return limiter

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` on one of this group's threads, after the work queued before it."""
        return await anyio.to_thread.run_sync(work, limiter=self.limiter())


HEAVY = ThreadGroup("legwork_heavy_work", 1)


async def run_heavy(work: Callable[[], T]) -> T:
    """`work()` in the heavy-work thread, after the heavy work queued before it."""
    return await HEAVY.run(work)


def _worker_start(parent: int) -> None:
    # A worker yields the CPU to its server process whenever both want it: the server's
    # event loop answers everyone, a plan only one client.
    os.nice(WORKER_NICENESS)
    malloc.tune()  # a plan's answer from the heap, not fresh mappings (app.malloc)
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()


def _leave_with(parent: int) -> None:
    """Exit when the server process that started this worker is gone. It may not say goodbye:
    killed, or ended by `os._exit` as multiprocessing ends uvicorn's workers (no atexit)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def widen_result_pipe(pool: ProcessPoolExecutor) -> int | None:
    """Let the pipe that brings the workers' answers back hold a whole plan
    (`RESULT_PIPE_BYTES`); its size now, or None where that cannot be told or set (not Linux;
    a lower system limit, where it stays as it was; another Python's executor, whose queue is
    not where 3.11's keeps it: the answers still come back, only in more chunks)."""
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if reader is None or set_size is None:
        return None
    try:
        return fcntl.fcntl(reader.fileno(), set_size, RESULT_PIPE_BYTES)
    except OSError:
        return fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ)


class ProcessGroup:
    """Worker processes for pure work: a module-level function and picklable arguments in,
    a picklable result (bytes, ideally) out. One pool per server process, started on first use
    (or by `start`) and kept for the life of the process; a worker imports what its work needs
    on its first piece of work. `size()` says how many workers; 0 runs the work in the
    heavy-work thread instead. A worker that dies (killed, out of memory) is replaced and the
    work tried once more."""

    def __init__(self, size: Callable[[], int]) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # Spawned, not forked: this process has threads (and their locks) to leave behind.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    self._size(),
                    mp_context=context,
                    initializer=_worker_start,
                    initargs=(os.getpid(),),  # not the worker's getppid(): it may be gone
                )
                widen_result_pipe(self._pool)
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def start(self, warm_up: Callable[[], object]) -> None:
        """Start the workers now, and have them run `warm_up` (importing what the work needs),
        rather than at the first piece of work: for server start-up."""
        if self._size() > 0:
            pool = self._executor()
            for _ in range(self._size()):
                pool.submit(warm_up)

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._size() == 0:
            return await run_heavy(lambda: work(*args, **kwargs))
        for attempt in (1, 2):
            pool = self._executor()
            try:
                future: Future[T] = pool.submit(work, *args, **kwargs)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                self._replace(pool)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


PLANS = ProcessGroup(lambda: get_settings().plan_processes)
