"""The engine for one tenant: idempotency, the event log, group commit.

Every command arrives with an idempotency key. The engine applies it to the
in-memory state through the domain state machine, appends the event, its
outcome and its postings to the store, and commits a whole batch in one
transaction (group commit; one writer per tenant). The same key with the
same content returns the first receipt; with other content it raises
``IdempotencyConflict``. ``Engine.open`` rebuilds the state from the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zengzhi.domain.config import TenantConfig, parse_tenant_config
from zengzhi.domain.events import Event
from zengzhi.domain.machine import apply
from zengzhi.domain.results import Outcome, Rejection, ResultCode
from zengzhi.domain.state import State
from zengzhi.engine import codec
from zengzhi.engine.ports import Clock, EventRecord, EventStore
from zengzhi.errors import IdempotencyConflict, NotFound, StoreError

BATCH_SIZE_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Command:
    key: str
    event: Event
    at_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    seq: int
    key: str
    outcome: Outcome
    replayed: bool = False  # True: an idempotent retry, answered from the log

    @property
    def conflict(self) -> bool:
        """The key was used before for other content; nothing was applied."""
        rejection = self.outcome.rejection
        return rejection is not None and rejection.code is ResultCode.KEY_CONFLICT


def _encode_rejection(rejection: Rejection | None) -> str:
    if rejection is None:
        return ""
    return f"{rejection.code.value}|{rejection.field}|{rejection.reason}"


def decode_rejection(text: str) -> Rejection | None:
    if not text:
        return None
    code, field, reason = text.split("|", 2)
    return Rejection(ResultCode(code), field, reason)


def _logged(record: EventRecord) -> Outcome:
    """The outcome first answered for a logged event, ``exits`` and ``duplicate`` included.

    The log keeps postings and the rejection; the rest follows from them: forced
    exits are the ``exit.points`` postings (member ids hold no ``:``), and an
    accepted order or withdrawal that posted nothing was a duplicate.
    """
    rejection = decode_rejection(record.rejection)
    exits = tuple(p.from_account.split(":")[1] for p in record.postings if p.rule == "exit.points")
    duplicate = (rejection is None and not record.postings
                 and record.payload.get("type") in ("order", "withdraw"))
    return Outcome(postings=record.postings, rejection=rejection, exits=exits, duplicate=duplicate)


class Engine:
    def __init__(self, store: EventStore, tenant: str, config: TenantConfig, clock: Clock) -> None:
        self.store = store
        self.tenant = tenant
        self.config = config
        self.clock = clock
        self.state = State(config)
        self.seq = 0
        self._keys: dict[str, tuple[str, int]] = {}  # key -> (fingerprint, seq)

    @classmethod
    def create(cls, store: EventStore, tenant: str, config_data: dict[str, Any],
               clock: Clock) -> Engine:
        """A new tenant with an empty log.

        Raises:
            ConfigError: the config is invalid (nothing is stored).
            StoreError: the tenant already exists (open it instead).
        """
        config = parse_tenant_config(config_data)
        if store.tenant_config(tenant) is not None:
            raise StoreError(f"tenant {tenant!r} already exists; open it instead of creating it")
        store.create_tenant(tenant, config_data)
        return cls(store, tenant, config, clock)

    @classmethod
    def open(cls, store: EventStore, tenant: str, clock: Clock) -> Engine:
        """Rebuild a tenant's state by replaying its whole log."""
        config_data = store.tenant_config(tenant)
        if config_data is None:
            raise NotFound("tenant", name=tenant)
        engine = cls(store, tenant, parse_tenant_config(config_data), clock)
        engine._replay_log()
        return engine

    def catch_up(self) -> int:
        """Apply events another writer appended since our last one; returns how many.

        Several processes may serve one tenant: the store refuses an append
        that is not the next dense sequence number, and the writer then
        catches up here and retries its batch on the newer state.
        """
        before = self.seq
        self._replay_log()
        return self.seq - before

    def _replay_log(self) -> None:
        for record in self.store.load(self.tenant, self.seq):
            if record.seq != self.seq + 1:
                raise StoreError(f"event log gap: expected #{self.seq + 1}, found #{record.seq}")
            outcome = apply(self.state, codec.from_dict(record.payload), record.at_ms)
            if _encode_rejection(outcome.rejection) != record.rejection or (
                    outcome.postings != record.postings):
                raise StoreError(f"event #{record.seq} no longer gives its logged outcome")
            self.seq = record.seq
            self._keys[record.key] = (record.fingerprint, record.seq)

    def submit(self, key: str, event: Event, at_ms: int | None = None) -> Receipt:
        """Submit one command.

        Raises:
            IdempotencyConflict: ``key`` was used before for other content.
        """
        receipt = self.submit_batch([Command(key, event, at_ms)])[0]
        if receipt.conflict:
            raise IdempotencyConflict(key=key, seq=receipt.seq)
        return receipt

    def submit_batch(self, commands: Sequence[Command]) -> list[Receipt]:
        """Apply commands in order and commit them in one transaction.

        A command whose key was used for other content is not applied; its
        receipt says ``conflict`` (the others go on).
        """
        assert len(commands) <= BATCH_SIZE_MAX, "split larger batches"
        receipts: list[Receipt] = []
        records: list[EventRecord] = []
        try:
            for command in commands:
                receipts.append(self._one(command, records))
            if records:
                self.store.append(self.tenant, records)
        except BaseException:
            # the log is the truth: undo the in-memory effects of this batch
            self._reset_to_log()
            raise
        return receipts

    def _one(self, command: Command, records: list[EventRecord]) -> Receipt:
        payload = codec.to_dict(command.event)
        payload_json = codec.canonical_json(payload)
        print_ = codec.fingerprint_of(payload_json)
        known = self._keys.get(command.key)
        if known is not None:
            if known[0] != print_:
                reason = str(IdempotencyConflict(key=command.key, seq=known[1]))
                return Receipt(known[1], command.key,
                               Outcome(rejection=Rejection(ResultCode.KEY_CONFLICT, "key", reason)))
            return Receipt(known[1], command.key, self._logged_outcome(known[1], records), True)
        at_ms = self.clock.now_ms() if command.at_ms is None else command.at_ms
        outcome = apply(self.state, command.event, at_ms)
        self.seq += 1
        records.append(EventRecord(self.seq, command.key, payload, print_, at_ms,
                                   _encode_rejection(outcome.rejection), outcome.postings,
                                   payload_json))
        self._keys[command.key] = (print_, self.seq)
        return Receipt(self.seq, command.key, outcome)

    def _logged_outcome(self, seq: int, pending: list[EventRecord]) -> Outcome:
        record = next((r for r in pending if r.seq == seq), None) or self.store.record(self.tenant, seq)
        if record is None:
            raise StoreError(f"event #{seq} is indexed but not in the log")
        return _logged(record)

    def _reset_to_log(self) -> None:
        """Rebuild from the committed log (state cannot be rolled back in place)."""
        self.state = State(self.config)
        self.seq = 0
        self._keys = {}
        self._replay_log()
