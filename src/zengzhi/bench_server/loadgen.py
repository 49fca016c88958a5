"""The load generator: a minimal asyncio HTTP/1.1 keep-alive client and its two schedules.

``HttpPool`` keeps keep-alive connections to one server; ``closed_loop``
sends requests back to back from a fixed number of workers (throughput);
``open_loop`` sends them on a fixed-rate schedule and times each from its
*scheduled* send time (latency without coordinated omission). ``Tally``
counts what came back.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from zengzhi.bench_server.processes import HOST

REPLAYED_HEADER = b"\r\nidempotent-replayed: true"


class HttpError(Exception):
    pass


class _Connection:
    __slots__ = ("reader", "writer", "used")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.used = time.monotonic()  # when its last answer came (or when it was opened)

    @classmethod
    async def open(cls, port: int) -> _Connection:
        reader, writer = await asyncio.open_connection(HOST, port)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def request(self, data: bytes) -> tuple[int, bytes, bytes, bool]:
        """Send one request; returns (status, head, body, keep_alive)."""
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        keep_alive = True
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise HttpError("chunked responses are not supported by the bench client")
            elif name == b"connection" and value.strip().lower() == b"close":
                keep_alive = False
        body = await self.reader.readexactly(length) if length else b""
        self.used = time.monotonic()
        return status, head, body, keep_alive

    def close(self) -> None:
        self.writer.close()


class HttpPool:
    """Up to ``size`` keep-alive connections to one server; ``send`` waits for a free one.

    A connection idle for ``IDLE_MAX_S`` is not reused (uvicorn closes idle
    keep-alive connections after 5 s); should a reused connection still turn
    out closed before any answer, the request is sent once more on a new one
    (the server never saw it; webhooks are idempotent by delivery id anyway).
    """

    IDLE_MAX_S = 3.0

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.size = size
        self._idle: list[_Connection] = []
        self._open = 0
        self._free = asyncio.Condition()

    async def _acquire(self) -> _Connection | None:
        """An idle connection, or None: the caller may open a new one (counted already)."""
        async with self._free:
            while True:
                while self._idle:
                    conn = self._idle.pop()
                    if time.monotonic() - conn.used < self.IDLE_MAX_S:
                        return conn
                    conn.close()
                    self._open -= 1
                if self._open < self.size:
                    self._open += 1
                    return None
                await self._free.wait()

    async def _release(self, conn: _Connection | None) -> None:
        async with self._free:
            if conn is None:
                self._open -= 1
            else:
                self._idle.append(conn)
            self._free.notify()

    async def send(self, data: bytes) -> tuple[int, bytes, bytes]:
        """Send one raw request; returns (status, head, body).

        Connection failures raise ``OSError`` or ``HttpError``.
        """
        conn = await self._acquire()
        reused = conn is not None
        try:
            if conn is None:
                conn = await _Connection.open(self.port)
            try:
                status, head, body, keep_alive = await conn.request(data)
            except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
                if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                    raise
                conn.close()  # closed by the server while idle: the request never arrived
                conn = await _Connection.open(self.port)
                status, head, body, keep_alive = await conn.request(data)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, HttpError, ValueError) as exc:
            if conn is not None:
                conn.close()
            await self._release(None)
            if isinstance(exc, OSError | HttpError):
                raise
            raise HttpError(f"bad or cut response: {exc!r}") from exc
        if not keep_alive:
            conn.close()
            await self._release(None)
        else:
            await self._release(conn)
        return status, head, body

    async def warm(self, count: int) -> None:
        """Open ``count`` connections ahead of a timed phase."""
        opened = []
        for _ in range(min(count, self.size)):
            conn = await self._acquire()
            opened.append(conn if conn is not None else await _Connection.open(self.port))
        for conn in opened:
            await self._release(conn)

    async def close(self) -> None:
        async with self._free:
            for conn in self._idle:
                conn.close()
            self._open -= len(self._idle)
            self._idle.clear()


@dataclass(slots=True)
class Tally:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    bodies: dict[int, bytes] = field(default_factory=dict)  # request index -> 200 body (kept if asked)
    replayed: set[int] = field(default_factory=set)  # request indexes answered ``Idempotent-Replayed: true``

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def _one(pool: HttpPool, index: int, data: bytes, began: float, tally: Tally,
               keep_bodies: bool) -> bytes | None:
    """Send one request; returns the body of a 200 answer, else None."""
    try:
        status, head, body = await pool.send(data)
    except (OSError, HttpError) as exc:
        tally.error(type(exc).__name__)
        return None
    finally:
        tally.latencies.append(time.perf_counter() - began)
    if status != 200:
        tally.error(f"HTTP {status}: {body[:200].decode(errors='replace')}")
        return None
    tally.ok += 1
    if keep_bodies:
        tally.bodies[index] = body
        if REPLAYED_HEADER in head.lower():
            tally.replayed.add(index)
    return body


async def closed_loop(pool: HttpPool, requests: Sequence[bytes], concurrency: int,
                      keep_bodies: bool = False,
                      on_ok: Callable[[int, bytes], bool] | None = None) -> tuple[Tally, float]:
    """``concurrency`` workers send ``requests`` back to back; returns the tally and the seconds.

    ``on_ok(index, body)`` after each 200; returning True stops the workers
    from taking more requests (the crash test kills the server there).
    """
    tally = Tally()
    position = 0
    stop = False

    async def worker() -> None:
        nonlocal position, stop
        while not stop and position < len(requests):
            index = position
            position += 1
            body = await _one(pool, index, requests[index], time.perf_counter(), tally, keep_bodies)
            if on_ok is not None and body is not None and on_ok(index, body):
                stop = True

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally, time.perf_counter() - began


async def open_loop(pool: HttpPool, make: Callable[[int], bytes], rate: float,
                    duration_s: float) -> tuple[Tally, float, int]:
    """Send ``make(i)`` at ``start + i / rate``; latency from that scheduled time.

    Returns the tally, the seconds from the first scheduled send to the last
    answer, and how many requests went out more than 1 ms behind schedule.
    """
    tally = Tally()
    count = int(rate * duration_s)
    tasks: list[asyncio.Task[bytes | None]] = []
    late = 0
    start = time.perf_counter() + 0.01
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -1e-3:
            late += 1
        tasks.append(asyncio.create_task(_one(pool, i, make(i), due, tally, False)))
    await asyncio.gather(*tasks)
    return tally, time.perf_counter() - start, late
