"""Exceptions of zengzhi (engine and entrypoints; the domain returns values).

    ZengzhiError
    ├── ScenarioError        a scenario or tenant config file is invalid (field, reason)
    ├── IdempotencyConflict  an idempotency key reused with other content
    ├── NotFound             a tenant (or other named thing) does not exist
    └── StoreError           the event store failed or disagrees with itself

Each carries keyword-only context; entrypoints map them to exit codes (CLI).
"""

from __future__ import annotations


class ZengzhiError(Exception):
    """Base of every exception zengzhi raises on purpose."""


class ScenarioError(ZengzhiError):
    def __init__(self, message: str, *, field: str = "", index: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.index = index


class IdempotencyConflict(ZengzhiError):
    def __init__(self, *, key: str, seq: int) -> None:
        super().__init__(f"idempotency key {key!r} was used for other content (event #{seq})")
        self.key = key
        self.seq = seq


class NotFound(ZengzhiError):
    def __init__(self, what: str, *, name: str) -> None:
        super().__init__(f"{what} {name!r} not found")
        self.what = what
        self.name = name


class StoreError(ZengzhiError):
    pass
