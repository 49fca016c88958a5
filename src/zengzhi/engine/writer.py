"""One writer per tenant with group commit.

Requests from many threads or coroutines are put on a bounded queue; one
thread per tenant takes up to ``batch_size_max`` commands at a time, applies
them in order and commits them in one transaction, then answers each caller.
So concurrent requests get one serialized order of events and the pool row
is never fought over by row locks. With several server processes, a writer
holds the store's per-tenant lock (a PostgreSQL advisory lock, a file lock
on SQLite) for a short lease: catch up from the log once, then apply and
append batches while its queue stays busy (at most ``LEASE_S``), release.
Should the store still refuse a batch (a stale writer), it catches up and
retries.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from zengzhi.engine.engine import Command, Engine, Receipt
from zengzhi.errors import StoreError

QUEUE_SIZE_MAX = 100_000
BATCH_SIZE_MAX = 1_000
RETRIES_MAX = 5
LEASE_S = 0.05  # longest a writer keeps the tenant lock while its queue stays busy


@dataclass(slots=True)
class _Job:
    command: Command
    future: Future[Receipt]


class TenantWriter:
    """Serializes every write of one tenant through one thread."""

    def __init__(self, engine: Engine, *, batch_size_max: int = BATCH_SIZE_MAX,
                 queue_size_max: int = QUEUE_SIZE_MAX) -> None:
        self.engine = engine
        self.batch_size_max = batch_size_max
        self._queue: queue.Queue[_Job | None] = queue.Queue(maxsize=queue_size_max)
        self._lock = threading.Lock()  # readers take it to see a state between batches
        # called with each committed batch's size (metrics); must not raise
        self.batch_observers: list[Callable[[int], object]] = []
        self._thread = threading.Thread(target=self._run, name=f"writer-{engine.tenant}",
                                        daemon=True)
        self._thread.start()

    @property
    def lock(self) -> threading.Lock:
        """Held while a batch is applied; hold it to read a consistent state."""
        return self._lock

    def submit_future(self, command: Command) -> Future[Receipt]:
        future: Future[Receipt] = Future()
        self._queue.put(_Job(command, future))
        return future

    def submit(self, command: Command, timeout_s: float | None = None) -> Receipt:
        return self.submit_future(command).result(timeout_s)

    async def submit_async(self, command: Command) -> Receipt:
        return await asyncio.wrap_future(self.submit_future(command))

    def close(self) -> None:
        """Finish queued work, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            if self._lease(first):
                return

    def _take(self, first: _Job) -> tuple[list[_Job], bool]:
        """``first`` and whatever else is queued (up to ``batch_size_max``); True: stop after."""
        jobs = [first]
        while len(jobs) < self.batch_size_max:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return jobs, False
            if job is None:
                return jobs, True
            jobs.append(job)
        return jobs, False

    def _lease(self, first: _Job) -> bool:
        """Hold the tenant's writer lock for a burst of batches; True when asked to stop.

        Catch-up runs once per lease, not per batch; the lease ends when the
        queue is empty or after ``LEASE_S``, so other processes get their turn.
        """
        jobs, stop = self._take(first)
        try:
            with self.engine.store.writer_lock(self.engine.tenant):
                with self._lock:
                    self.engine.catch_up()
                started = time.monotonic()
                while True:
                    self._commit(jobs)
                    if stop or time.monotonic() - started > LEASE_S:
                        return stop
                    try:
                        following = self._queue.get_nowait()
                    except queue.Empty:
                        return False
                    if following is None:
                        return True
                    jobs, stop = self._take(following)
        except BaseException as exc:  # noqa: BLE001 - every caller must get an answer
            self._fail([j for j in jobs if not j.future.done()], exc)
            return stop

    def _commit(self, jobs: list[_Job]) -> None:
        commands = [job.command for job in jobs]
        for attempt in range(RETRIES_MAX + 1):
            try:
                with self._lock:
                    receipts = self.engine.submit_batch(commands)
            except StoreError as exc:
                # a writer that ignored the lock appended first: catch up, try again
                if attempt == RETRIES_MAX:
                    self._fail(jobs, exc)
                    return
                with self._lock:
                    self.engine.catch_up()
                continue
            except BaseException as exc:  # noqa: BLE001 - every caller must get an answer
                self._fail(jobs, exc)
                return
            for observe in self.batch_observers:
                observe(len(commands))
            for job, receipt in zip(jobs, receipts, strict=True):
                job.future.set_result(receipt)
            return

    @staticmethod
    def _fail(jobs: list[_Job], exc: BaseException) -> None:
        for job in jobs:
            job.future.set_exception(exc)
