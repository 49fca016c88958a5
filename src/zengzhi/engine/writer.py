"""One writer per tenant with group commit.

Requests from many threads or coroutines are put on a bounded queue; one
thread per tenant takes up to ``batch_size_max`` commands at a time, applies
them in order and commits them in one transaction, then answers each caller.
So concurrent requests get one serialized order of events and the pool row
is never fought over by row locks. With several server processes, each
batch runs under the store's per-tenant writer lock (a PostgreSQL advisory
lock): catch up from the log, apply, append, release. Should the store still
refuse a batch (a stale writer), the writer catches up and retries.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from zengzhi.engine.engine import Command, Engine, Receipt
from zengzhi.errors import StoreError

QUEUE_SIZE_MAX = 100_000
BATCH_SIZE_MAX = 1_000
RETRIES_MAX = 5


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
            jobs = [first]
            stop = False
            while len(jobs) < self.batch_size_max:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                jobs.append(job)
            self._commit(jobs)
            if stop:
                return

    def _commit(self, jobs: list[_Job]) -> None:
        commands = [job.command for job in jobs]
        for attempt in range(RETRIES_MAX + 1):
            try:
                with self.engine.store.writer_lock(self.engine.tenant), self._lock:
                    self.engine.catch_up()  # one cheap query when nobody else wrote
                    receipts = self.engine.submit_batch(commands)
            except StoreError as exc:
                # another writer may have appended first: catch up, try again
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
