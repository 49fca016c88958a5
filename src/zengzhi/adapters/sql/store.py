"""``SqlEventStore``: the engine's ``EventStore`` port on SQLAlchemy 2 (Core).

SQLite by default (a file URL such as ``sqlite:///zengzhi.db``), PostgreSQL
by URL (``postgresql+psycopg://...``). Opening a store upgrades its schema to
the newest Alembic revision.

Invariants, the same as ``InMemoryStore``:

* ``append`` writes a whole batch (events and postings) in one transaction,
  or nothing; sequence numbers stay dense from 1 per tenant and idempotency
  keys unique per tenant (the database enforces the key).
* ``load`` streams the log in ``seq`` order, a chunk of events at a time,
  with each record's postings equal to the ``Posting`` tuples appended.
* ``balances`` sums the stored postings per account in SQL.

Failures of the database surface as ``StoreError`` (with the cause chained).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Engine,
    Table,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError

from zengzhi.adapters.sql import migrate
from zengzhi.adapters.sql.tables import POSTING_COLUMNS, events, postings, tenants
from zengzhi.domain.ledger import Posting
from zengzhi.engine.ports import EventRecord
from zengzhi.errors import StoreError

LOAD_CHUNK_EVENTS = 2_000
EVENT_COLUMNS = ("tenant", "seq", "key", "payload", "fingerprint", "at_ms", "rejection")
POSTING_ROW_COLUMNS = ("tenant", "seq", "idx", *POSTING_COLUMNS)
EVENT_SELECT = (events.c.seq, events.c.key, events.c.payload, events.c.fingerprint,
                events.c.at_ms, events.c.rejection)
POSTING_SELECT = (postings.c.seq, *(postings.c[name] for name in POSTING_COLUMNS))
SQLITE_PARAMS_MAX = 999  # the lowest SQLITE_MAX_VARIABLE_NUMBER of any SQLite build
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",  # WAL: a power cut may lose the last commits, never corrupts
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once: cheaper


def _dumps(data: Any) -> str:
    return _ENCODER.encode(data)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


class SqlEventStore:
    """The event log, its postings and the tenant configs in one SQL database."""

    def __init__(self, url: str, *, load_chunk_events: int = LOAD_CHUNK_EVENTS,
                 echo: bool = False) -> None:
        """Connect and upgrade the schema to head.

        Args:
            url: a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://...``).
            load_chunk_events: how many events ``load`` reads per query.
            echo: log every SQL statement (debugging).

        Raises:
            StoreError: the database cannot be reached or migrated.
        """
        assert load_chunk_events > 0
        self.url = make_url(url)
        self.load_chunk_events = load_chunk_events
        self._next_seq: dict[str, int] = {}  # tenant -> seq after our own last append
        self._engine: Engine = create_engine(self.url, echo=echo)
        self.dialect = self._engine.dialect.name
        if self.dialect == "sqlite":
            event.listen(self._engine, "connect", _sqlite_on_connect)
        style = self._engine.dialect.paramstyle
        self._events_writer = _RowWriter(events, EVENT_COLUMNS, self.dialect, style)
        self._postings_writer = _RowWriter(postings, POSTING_ROW_COLUMNS, self.dialect, style)
        try:
            with self._engine.begin() as conn:
                migrate.upgrade(conn)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise StoreError(f"cannot open the event store at {self.url!r}: {exc}") from exc

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for read models and tests)."""
        return self._engine

    # -- tenants --------------------------------------------------------------

    def create_tenant(self, tenant: str, config: dict[str, Any]) -> None:
        """Create a tenant; again with the same config is a no-op.

        Raises:
            StoreError: the tenant exists with another config.
        """
        text = _dumps(config)
        with _guard("create tenant"), self._engine.begin() as conn:
            found = conn.execute(
                select(tenants.c.config).where(tenants.c.id == tenant)).scalar_one_or_none()
            if found is None:
                conn.execute(insert(tenants).values(id=tenant, config=text))
            elif json.loads(found) != config:
                raise StoreError(f"tenant {tenant!r} exists with another config")

    def tenant_config(self, tenant: str) -> dict[str, Any] | None:
        with _guard("read tenant config"), self._engine.connect() as conn:
            found = conn.execute(
                select(tenants.c.config).where(tenants.c.id == tenant)).scalar_one_or_none()
        if found is None:
            return None
        config: dict[str, Any] = json.loads(found)
        return config

    def tenants(self) -> list[str]:
        with _guard("list tenants"), self._engine.connect() as conn:
            return [str(t) for t in conn.execute(select(tenants.c.id).order_by(tenants.c.id)).scalars()]

    # -- the log --------------------------------------------------------------

    def append(self, tenant: str, records: Sequence[EventRecord]) -> None:
        """Append records and their postings in one transaction (all or nothing).

        Raises:
            StoreError: the sequence numbers are not the next dense ones, a key
                is already used, the tenant does not exist, or the database failed.
        """
        if not records:
            return
        first = records[0].seq
        for offset, record in enumerate(records):
            if record.seq != first + offset:
                raise StoreError(f"sequence numbers are not dense at #{record.seq}")
        # flat column values, row after row: the cheapest form to build and to bind
        event_values: list[Any] = []
        posting_values: list[Any] = []
        add_event = event_values.extend
        add_posting = posting_values.extend
        for r in records:
            seq = r.seq
            add_event((tenant, seq, r.key, r.payload_json or _dumps(r.payload), r.fingerprint, r.at_ms,
                       r.rejection))
            for idx, p in enumerate(r.postings):
                add_posting((tenant, seq, idx))
                add_posting(p)
        # The next seq is read from the database unless this store appended the
        # previous batch itself; a writer that appended in between still cannot
        # slip through: our first seq then collides with its rows (primary key).
        continuing = self._next_seq.pop(tenant, None) == first
        with _guard("append"), self._engine.begin() as conn:
            if not continuing:
                last = conn.execute(
                    select(func.max(events.c.seq)).where(events.c.tenant == tenant)).scalar()
                expected = (last or 0) + 1
                if first != expected:
                    raise StoreError(f"tenant {tenant!r}: next event is #{expected}, not #{first}")
            self._events_writer.write(conn, event_values)
            self._postings_writer.write(conn, posting_values)
        self._next_seq[tenant] = records[-1].seq + 1

    def load(self, tenant: str, after_seq: int = 0) -> Generator[EventRecord, None, None]:
        """The records after ``after_seq`` in ``seq`` order, read a chunk at a time.

        No connection is held between chunks, so a consumer may stop at any point.
        """
        chunk = self.load_chunk_events
        last = after_seq
        while True:
            with _guard("load"), self._engine.connect() as conn:
                rows = conn.execute(
                    select(*EVENT_SELECT).where(events.c.tenant == tenant, events.c.seq > last)
                    .order_by(events.c.seq).limit(chunk)).all()
                if not rows:
                    return
                posting_rows = conn.execute(
                    select(*POSTING_SELECT)
                    .where(postings.c.tenant == tenant, postings.c.seq > last,
                           postings.c.seq <= rows[-1].seq)
                    .order_by(postings.c.seq, postings.c.idx)).all()
            yield from _records(rows, posting_rows)
            if len(rows) < chunk:
                return
            last = rows[-1].seq

    def record(self, tenant: str, seq: int) -> EventRecord | None:
        with _guard("read record"), self._engine.connect() as conn:
            rows = conn.execute(
                select(*EVENT_SELECT).where(events.c.tenant == tenant, events.c.seq == seq)).all()
            if not rows:
                return None
            posting_rows = conn.execute(
                select(*POSTING_SELECT).where(postings.c.tenant == tenant, postings.c.seq == seq)
                .order_by(postings.c.idx)).all()
        return next(_records(rows, posting_rows))

    def order_postings(self, tenant: str, order_id: str) -> list[Posting]:
        """Every posting about one order, in log order (index on tenant, order_id)."""
        with _guard("read order postings"), self._engine.connect() as conn:
            rows = conn.execute(
                select(*POSTING_SELECT).where(postings.c.tenant == tenant, postings.c.order_id == order_id)
                .order_by(postings.c.seq, postings.c.idx)).all()
        return [Posting._make(row[1:]) for row in rows]

    def balances(self, tenant: str) -> dict[str, int]:
        """Account balances: what each account received minus what it paid."""
        received = select(postings.c.to_account.label("account"),
                          postings.c.amount.label("amount")).where(postings.c.tenant == tenant)
        paid = select(postings.c.from_account.label("account"),
                      (literal_column("0") - postings.c.amount).label("amount")
                      ).where(postings.c.tenant == tenant)
        moves = union_all(received, paid).subquery()
        query = select(moves.c.account, func.sum(moves.c.amount)).group_by(moves.c.account)
        with _guard("balances"), self._engine.connect() as conn:
            # PostgreSQL sums bigint as numeric (Decimal): int() is exact either way
            return {account: int(total) for account, total in conn.execute(query)}

    @contextmanager
    def writer_lock(self, tenant: str) -> Iterator[None]:
        """Hold the tenant's write lock (several server processes, one writer at a time).

        PostgreSQL: a session advisory lock keyed by the tenant, on a connection
        held for the batch. SQLite file: an exclusive ``flock`` on a sidecar
        ``<file>.writer-lock`` (the database's own lock covers only one
        transaction, not catch-up + apply + append). Either way ``append``
        still refuses a stale writer, which then catches up.
        """
        if self.dialect == "sqlite":
            database = self.url.database
            if not database or database == ":memory:":
                yield
                return
            with open(f"{database}.writer-lock", "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            return
        if self.dialect != "postgresql":
            yield
            return
        with _guard("writer lock"), self._engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtextextended(:t, 0))"), {"t": tenant})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtextextended(:t, 0))"), {"t": tenant})
                conn.commit()

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()


#: from this many rows on, PostgreSQL inserts use COPY (one round trip) instead of executemany
COPY_ROWS_MIN = 8


class _RowWriter:
    """Inserts rows into one table, as fast as the dialect allows.

    * SQLite: multi-row ``INSERT ... VALUES (...), (...)`` statements through
      the driver, up to ``SQLITE_PARAMS_MAX`` parameters each; they cost less
      per row than ``executemany``.
    * PostgreSQL (``%s`` drivers such as psycopg): one single-row INSERT with
      the driver's ``executemany`` (psycopg pipelines it); about 1.7 times the
      speed of Core ``insert()`` with SQLAlchemy's "insertmanyvalues".
    * any other dialect: Core ``insert()`` with a list of rows.

    The driver-level forms skip SQLAlchemy's per-row parameter processing,
    which the plain int and str columns do not need.
    """

    __slots__ = ("table", "columns", "mode", "_sql")

    def __init__(self, table: Table, columns: Sequence[str], dialect: str,
                 paramstyle: str) -> None:
        self.table = table
        self.columns = tuple(columns)
        if dialect == "sqlite" and paramstyle == "qmark":
            self.mode = "multirow"
        elif dialect == "postgresql" and paramstyle in ("format", "pyformat"):
            self.mode = "executemany"
        else:
            self.mode = "core"
        self._sql: dict[int, str] = {}

    def _statement(self, rows: int) -> str:
        sql = self._sql.get(rows)
        if sql is None:
            mark = "?" if self.mode == "multirow" else "%s"
            one = f"({', '.join(mark for _ in self.columns)})"
            sql = (f"INSERT INTO {self.table.name} ({', '.join(self.columns)}) "
                   f"VALUES {', '.join(one for _ in range(rows))}")
            self._sql[rows] = sql
        return sql

    def write(self, conn: Connection, values: list[Any]) -> None:
        """Insert rows given as their column values, one row after another."""
        width = len(self.columns)
        assert len(values) % width == 0
        if not values:
            return
        if self.mode == "multirow":
            step = SQLITE_PARAMS_MAX // width * width
            for start in range(0, len(values), step):
                chunk = values[start:start + step]
                conn.exec_driver_sql(self._statement(len(chunk) // width), tuple(chunk))
            return
        if self.mode == "executemany" and len(values) >= COPY_ROWS_MIN * width:
            self._copy(conn, values, width)
            return
        rows = [values[i:i + width] for i in range(0, len(values), width)]
        if self.mode == "executemany":
            conn.exec_driver_sql(self._statement(1), [tuple(row) for row in rows])
        else:
            conn.execute(insert(self.table), [dict(zip(self.columns, row, strict=True))
                                              for row in rows])


    def _copy(self, conn: Connection, values: list[Any], width: int) -> None:
        """PostgreSQL ``COPY … FROM STDIN`` in the open transaction: one round trip for the rows."""
        import psycopg  # only PostgreSQL stores get here

        raw = conn.connection.driver_connection
        assert raw is not None
        try:
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {self.table.name} ({', '.join(self.columns)}) FROM STDIN") as copy:
                write = copy.write_row
                for i in range(0, len(values), width):
                    write(values[i:i + width])
        except psycopg.Error as exc:
            # below SQLAlchemy: name it like the other store failures (the transaction rolls back)
            raise StoreError(f"event store append failed: {exc}") from exc


@contextmanager
def _guard(what: str) -> Iterator[None]:
    """Turn a database failure into ``StoreError`` (the cause chained)."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreError(f"event store {what} failed: {exc}") from exc


def _records(rows: Sequence[Sequence[Any]], posting_rows: Sequence[Sequence[Any]]
             ) -> Iterator[EventRecord]:
    """Join event rows with their postings (both in ``seq`` order)."""
    position = 0
    count = len(posting_rows)
    for seq, key, payload, fingerprint, at_ms, rejection in rows:
        found: list[Posting] = []
        while position < count and posting_rows[position][0] < seq:
            position += 1  # defensive: postings of an event outside this chunk
        while position < count and posting_rows[position][0] == seq:
            found.append(Posting._make(posting_rows[position][1:]))
            position += 1
        yield EventRecord(seq, key, json.loads(payload), fingerprint, at_ms, rejection,
                          tuple(found))
