"""CPU-heavy work (long plans, progress over years) off the event loop, one piece at a time per
process.

Such work holds the GIL for tens of milliseconds. On the event loop it would stall every other
request; in the thread pool, thirty of them at once would share one core anyway while each
holding its memory. One thread per process runs them in turn: the loop stays responsive
(see the 1 ms switch interval in app.main), throughput is what the core gives, and memory is
what one of them needs."""

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

T = TypeVar("T")

_WORKER = RunVar[anyio.CapacityLimiter]("legwork_cpu_worker")


def _limiter() -> anyio.CapacityLimiter:
    """This event loop's limiter: one thread."""
    try:
        return _WORKER.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(1)
        _WORKER.set(limiter)
        return limiter


async def run_heavy(work: Callable[[], T]) -> T:
    """`work()` in the heavy-work thread, after the heavy work queued before it."""
    return await anyio.to_thread.run_sync(work, limiter=_limiter())
