"""Threads apart from the shared pool (`ThreadGroup`), and CPU-heavy work (long plans, progress
over years) off the event loop, one piece at a time per process.

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
