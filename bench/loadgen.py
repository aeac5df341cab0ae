"""A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next
request as soon as the last answer is in, for a fixed time. Requests are prepared bytes, so the
client costs little CPU beside the server on a 2-core machine."""

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

RequestMaker = Callable[[int], bytes]


def http_request(
    method: str, path: str, host: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Result:
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    bodies: list[bytes] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Answers that were not 2xx or 3xx, and requests that got no answer."""
        bad = sum(n for status, n in self.statuses.items() if status >= 400)
        return bad + sum(self.failures.values())

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=1000, method="inclusive")[
            min(999, max(0, round(q * 1000) - 1))
        ]


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _connection(
    host: str,
    port: int,
    make: RequestMaker,
    counter: list[int],
    deadline: float,
    result: Result,
    keep_bodies: bool,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            n = counter[0]
            counter[0] += 1
            request = make(n)
            started = time.perf_counter()
            try:
                writer.write(request)
                await writer.drain()
                status, body = await asyncio.wait_for(_read_answer(reader), timeout=60)
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                result.failures[type(exc).__name__] += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.statuses[status] += 1
            if keep_bodies and status < 300:
                result.bodies.append(body)
    finally:
        writer.close()


@dataclass(frozen=True)
class Load:
    """`connections` keep-alive connections sending `make(0)`, `make(1)`, …"""

    make: RequestMaker
    connections: int
    keep_bodies: bool = False


async def _run(host: str, port: int, loads: list[Load], seconds: float) -> list[Result]:
    started = time.perf_counter()
    results = [Result(seconds=seconds) for _ in loads]
    counters = [[0] for _ in loads]
    await asyncio.gather(
        *(
            _connection(host, port, load.make, counter, started + seconds, result, load.keep_bodies)
            for load, counter, result in zip(loads, counters, results, strict=True)
            for _ in range(load.connections)
        )
    )
    for result in results:
        result.seconds = time.perf_counter() - started
    return results


def hammer_together(host: str, port: int, loads: list[Load], seconds: float) -> list[Result]:
    """Run several loads at once against one server, for `seconds`; a result each."""
    return asyncio.run(_run(host, port, loads, seconds))


def hammer(
    host: str,
    port: int,
    make: RequestMaker,
    *,
    connections: int,
    seconds: float,
    keep_bodies: bool = False,
) -> Result:
    """Send `make(0)`, `make(1)`, … over `connections` connections for `seconds`."""
    return hammer_together(host, port, [Load(make, connections, keep_bodies)], seconds)[0]
