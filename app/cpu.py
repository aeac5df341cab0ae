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
import collections
import contextlib
import fcntl
import multiprocessing
import os
import pickle
import struct
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
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
# switch between the worker and the server's reader: ~1 ms more than a small answer on a busy
# 2-core VM; through a 1 MB pipe (Linux's default limit for a user) ~0.2 ms more.
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


def widen_pipe(fd: int) -> int | None:
    """Let the pipe of `fd` hold a whole plan (`RESULT_PIPE_BYTES`); its size now, or None
    where that cannot be told or set (not Linux). Under a lower system limit it stays as it
    was: the answers still come back, only in more chunks."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return None
    try:
        return fcntl.fcntl(fd, set_size, RESULT_PIPE_BYTES)
    except OSError:
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)


# The protocol between a server process and its worker: each has two pipes of its own, one
# for calls, one for answers, answered in order. A message is its length and its kind,
# then its bytes: a call pickled; an answer that is bytes as they are, anything else pickled.
_HEADER = struct.Struct("<QB")
_CALL, _BYTES, _PICKLED, _RAISED = range(4)


class RemoteTraceback(Exception):
    """Where in the worker an error was raised: the `__cause__` of the error `run` re-raises."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}"


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from a blocking `fd`; None at its end."""
    data = os.read(fd, size)
    if len(data) == size or not data:
        return data or None
    parts = [data]
    missing = size - len(data)
    while missing:
        data = os.read(fd, missing)
        if not data:
            return None
        parts.append(data)
        missing -= len(data)
    return b"".join(parts)


def _write_all(fd: int, kind: int, data: bytes) -> None:
    """The message on a blocking `fd`: one write for header and bytes (no copy of them)."""
    parts = [memoryview(_HEADER.pack(len(data), kind)), memoryview(data)]
    while parts:
        written = os.writev(fd, parts)
        while parts and written >= len(parts[0]):
            written -= len(parts.pop(0))
        if parts:
            parts[0] = parts[0][written:]


def _serve(
    calls: Connection, answers: Connection, parent: int, warm_up: Callable[[], object] | None
) -> None:
    """A worker's life: calls in, answers out, until the server closes its end (or is gone)."""
    _worker_start(parent)
    if warm_up is not None:
        with contextlib.suppress(Exception):  # the work will raise it again, to its caller
            warm_up()
    calls_fd, answers_fd = calls.fileno(), answers.fileno()
    while True:
        header = _read_exactly(calls_fd, _HEADER.size)
        call = header and _read_exactly(calls_fd, _HEADER.unpack(header)[0])
        if call is None:
            os._exit(0)
        result = None
        try:
            work, args, kwargs = pickle.loads(call)
            result = work(*args, **kwargs)
            if type(result) is bytes:
                kind, data = _BYTES, result
            else:
                kind, data = _PICKLED, pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # every error goes back to the caller
            kind, data = _RAISED, _pickled_error(error)
        _write_all(answers_fd, kind, data)
        del call, result, data  # not kept alive while waiting for the next call


def _pickled_error(error: BaseException) -> bytes:
    trace = RemoteTraceback("".join(traceback.format_exception(error)))
    try:
        return pickle.dumps((error, trace), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an error that does not pickle comes back as its text
        stand_in = RuntimeError(f"{type(error).__qualname__}: {error}")
        return pickle.dumps((stand_in, trace), pickle.HIGHEST_PROTOCOL)


class _Answers:
    """Answers read from a worker's pipe, as much as is there each time the event loop finds
    it readable."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._start()

    def _start(self) -> None:
        self.header = b""
        self.kind = -1
        self.missing = -1  # bytes of the answer still to read; -1 while reading the header
        self.parts: list[bytes] = []

    def read(self) -> tuple[int, bytes] | None:
        """The next answer (kind, bytes), or None until it is all there; BrokenProcessPool
        when the worker's end has closed (it died)."""
        try:
            if self.missing < 0:
                data = os.read(self.fd, _HEADER.size - len(self.header))
                if not data:
                    raise BrokenProcessPool("a plan worker process ended before it answered")
                self.header += data
                if len(self.header) < _HEADER.size:
                    return None
                self.missing, self.kind = _HEADER.unpack(self.header)
            # The worker writes its whole answer at once into a pipe that holds it (1 MB): it
            # is usually all there, and comes in one read with no joining.
            while self.missing:
                data = os.read(self.fd, self.missing)
                if not data:
                    raise BrokenProcessPool("a plan worker process ended before it answered")
                self.parts.append(data)
                self.missing -= len(data)
        except BlockingIOError:
            return None
        except OSError as error:
            raise BrokenProcessPool("a plan worker process's answer pipe failed") from error
        answer = self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)
        kind = self.kind
        self._start()
        return kind, answer


class _Worker:
    """One worker process and the server's ends of its two pipes (non-blocking). Calls are
    answered in the order they were sent; while it runs one, the next may wait in its pipe
    (`ProcessGroup` sends at most DEPTH), so it goes on to it without waiting for the loop."""

    def __init__(
        self, parent: int, warm_up: Callable[[], object] | None, freed: Callable[["_Worker"], None]
    ) -> None:
        # Spawned, not forked: this process has threads (and their locks) to leave behind.
        context = multiprocessing.get_context("spawn")
        calls_in, calls_out = context.Pipe(duplex=False)
        answers_in, answers_out = context.Pipe(duplex=False)
        widen_pipe(answers_out.fileno())
        self.process = context.Process(
            target=_serve,
            args=(calls_in, answers_out, parent, warm_up),
            name="legwork-plan-worker",
            daemon=True,  # ended by multiprocessing's atexit if the server exits normally
        )
        try:
            self.process.start()
        finally:
            calls_in.close()  # the worker's ends: its death closes them, which we then see
            answers_out.close()
        self._ends = (calls_out, answers_in)
        self.calls = calls_out.fileno()
        self.answers = answers_in.fileno()
        os.set_blocking(self.calls, False)
        os.set_blocking(self.answers, False)
        self._answers = _Answers(self.answers)
        self._freed = freed  # told each time an answer is read
        # Calls given to this worker and not yet answered (`ProcessGroup` counts them in
        # before it hands the worker out); the futures of those sent, in the order sent.
        self.load = 0
        self.pending: collections.deque[asyncio.Future[tuple[int, bytes]]] = collections.deque()
        self.sending = False  # a call only partly written: no other may be written meanwhile
        self.dead = False
        # The event loop reading its answers while some are due (None when none is): a worker
        # whose caller's loop has closed (a test's) never has its answers read, and is let go.
        self.loop: asyncio.AbstractEventLoop | None = None

    async def call(self, message: bytes) -> tuple[int, bytes]:
        """Send one call and wait for its answer, on this event loop: no thread in between.
        The caller has counted it in `load`."""
        if self.dead:
            raise BrokenProcessPool("a plan worker process has ended")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[int, bytes]] = loop.create_future()
        if not self.pending:
            self.loop = loop
            loop.add_reader(self.answers, self._read)
        self.pending.append(future)
        await self._send(loop, message)
        return await future

    async def _send(self, loop: asyncio.AbstractEventLoop, message: bytes) -> None:
        # A call (a request, ~1 KB) fits at once in the pipe; a bigger one waits for room.
        view = memoryview(_HEADER.pack(len(message), _CALL) + message)
        while view:
            try:
                view = view[os.write(self.calls, view) :]
            except BlockingIOError:
                pass
            except OSError as error:  # EPIPE: the worker is gone
                self._fail(BrokenProcessPool("a plan worker process has ended"), error)
                return
            if view:
                self.sending = True
                room: asyncio.Future[None] = loop.create_future()
                loop.add_writer(self.calls, _settle, room)
                try:
                    await room
                finally:
                    loop.remove_writer(self.calls)
        self.sending = False

    def _read(self) -> None:
        try:
            while self.pending:
                answer = self._answers.read()
                if answer is None:
                    return
                future = self.pending.popleft()
                if not future.done():  # else its caller gave up: the answer is dropped
                    future.set_result(answer)
                self._done_one()
        except BrokenProcessPool as error:
            self._fail(error, error.__cause__)
        finally:
            if not self.pending and self.loop is not None and not self.dead:
                self.loop.remove_reader(self.answers)
                self.loop = None

    def _done_one(self) -> None:
        self.load -= 1
        self._freed(self)

    def _fail(self, error: BrokenProcessPool, cause: BaseException | None) -> None:
        """The worker is gone: every call sent to it fails (to be tried once more)."""
        self.dead = True
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.answers)
        self.loop = None
        while self.pending:
            future = self.pending.popleft()
            if not future.done() and not future.get_loop().is_closed():
                failed = BrokenProcessPool(*error.args)
                failed.__cause__ = cause
                future.set_exception(failed)

    def end(self) -> None:
        """Kill the process (if it lives) and close our ends of its pipes."""
        if not self.dead:
            self._fail(BrokenProcessPool("a plan worker process was let go"), None)
        if self.process.is_alive():
            self.process.kill()
        for end in self._ends:
            end.close()
        self.process.join(timeout=0)  # reaped now if it is gone, else when the next one starts


# Calls a worker holds at most: the one it runs and the next, waiting in its pipe. Without the
# next, a worker waited for the event loop between two plans (to read the answer, wake the
# next caller, send its call): with 32 connections asking for plans, 57–72 → 32–41 plans a
# second than through concurrent.futures, which also keeps one call queued.
DEPTH = 2


class ProcessGroup:
    """Worker processes for pure work: a module-level function and picklable arguments in,
    a picklable result (bytes, ideally) out. One group per server process; its workers start
    on first use (or by `start`) and live as long as the process, at most `size()` of them.
    Work beyond DEPTH calls a worker waits its turn in this process. `size()` 0 runs the work
    in the heavy-work thread instead. A worker that dies (killed, out of memory) is replaced
    and the work tried once more.

    The event loop talks to each worker through a pipe pair of its own (`_Worker.call`): it
    writes the pickled call and reads the answer as it arrives. concurrent.futures'
    ProcessPoolExecutor, used before, hands each call and answer through two threads of this
    process (its queue's feeder and its manager) and back to the loop: on a busy 2-core VM each
    hand-over waits for the GIL or a wake-up; a 500 KB answer took 0.41–0.46 ms that way,
    0.15–0.20 ms this way."""

    def __init__(self, size: Callable[[], int]) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._warm_up: Callable[[], object] | None = None
        self._workers: list[_Worker] = []
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()

    def start(self, warm_up: Callable[[], object]) -> None:
        """Start the workers now, and have them run `warm_up` (importing what the work needs),
        rather than at the first piece of work: for server start-up. Workers started later to
        replace one run it too."""
        with self._lock:
            self._warm_up = warm_up
            self._forget_if_forked()
            while len(self._workers) < self._size():
                self._spawn()

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._size() == 0:
            return await run_heavy(lambda: work(*args, **kwargs))
        message = pickle.dumps((work, args, kwargs), pickle.HIGHEST_PROTOCOL)
        for attempt in (1, 2):
            worker = await self._acquire()
            try:
                kind, data = await worker.call(message)
            except BrokenProcessPool:
                self._discard(worker)
                if attempt == 2:
                    raise
                continue
            except BaseException:
                # Given up (cancelled): a call sent whole is answered and its answer dropped;
                # half a call would leave the worker waiting for the rest.
                if worker.sending:
                    self._discard(worker)
                raise
            if kind == _BYTES:
                return data  # type: ignore[return-value]
            if kind == _RAISED:
                error, trace = pickle.loads(data)
                raise error from trace
            return pickle.loads(data)  # type: ignore[no-any-return]
        raise AssertionError("unreachable")

    def _spawn(self) -> _Worker:
        # The server's pid, not the worker's getppid(): the server may be gone already.
        worker = _Worker(os.getpid(), self._warm_up, self._freed)
        self._workers.append(worker)
        return worker

    def _forget_if_forked(self) -> None:
        # A forked copy of this process shares the pipes of its parent's workers: not its own.
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._workers = []
            self._waiting.clear()

    def _usable(self, worker: _Worker, loop: asyncio.AbstractEventLoop | None) -> bool:
        # A worker's answers are read by one event loop at a time.
        return (
            not worker.dead
            and not worker.sending
            and worker.load < DEPTH
            and (worker.load == 0 or worker.loop is None or worker.loop is loop)
        )

    async def _acquire(self) -> _Worker:
        """A worker with room for one more call, counted in its `load`: the least loaded, a
        new one while there are fewer than `size()` and all have work, or the first freed."""
        loop = asyncio.get_running_loop()
        with self._lock:
            self._forget_if_forked()
            for worker in self._workers:
                if worker.loop is not None and worker.loop.is_closed():
                    self._workers.remove(worker)  # its caller's loop is gone, with its answers
                    worker.end()
                    break
            usable = [w for w in self._workers if self._usable(w, loop)]
            best = min(usable, key=lambda w: w.load, default=None)
            if (best is None or best.load > 0) and len(self._workers) < self._size():
                best = self._spawn()
            if best is not None:
                best.load += 1
                return best
            waiter: asyncio.Future[_Worker] = loop.create_future()
            self._waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed over as its caller gave up
                worker = waiter.result()
                worker.load -= 1
                self._freed(worker)
            raise

    def _freed(self, worker: _Worker) -> None:
        """Room for one more call on `worker`: to the first caller waiting whose event loop
        may use it, counted in its load."""
        with self._lock:
            for waiter in list(self._waiting):
                if waiter.done():  # its caller gave up
                    self._waiting.remove(waiter)
                    continue
                loop = waiter.get_loop()
                if not self._usable(worker, loop):
                    continue
                self._waiting.remove(waiter)
                worker.load += 1
                if _running_loop() is loop:
                    waiter.set_result(worker)
                    return
                try:
                    loop.call_soon_threadsafe(self._hand, waiter, worker)
                    return
                except RuntimeError:  # that loop is closed
                    worker.load -= 1

    def _hand(self, waiter: "asyncio.Future[_Worker]", worker: _Worker) -> None:
        if waiter.done():
            worker.load -= 1
            self._freed(worker)
        else:
            waiter.set_result(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            if worker not in self._workers:
                return
            self._workers.remove(worker)
            # Callers waiting for room get it in a new worker.
            replacement = self._spawn() if self._waiting else None
        worker.end()
        if replacement is not None:
            for _ in range(DEPTH):
                self._freed(replacement)


def _settle(future: "asyncio.Future[None]") -> None:
    if not future.done():
        future.set_result(None)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


PLANS = ProcessGroup(lambda: get_settings().plan_processes)
