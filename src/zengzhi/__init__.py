"""zengzhi (增值): an exact engine for consumption-appreciation pools.

The library surface is small: build a ``State`` from a validated config and
``apply`` events to it (pure, in memory), or run them through an ``Engine``
over an event store for idempotency and durability.
"""

from __future__ import annotations

from zengzhi.domain.config import ConfigError, TenantConfig, parse_tenant_config
from zengzhi.domain.events import (
    Event,
    Inject,
    Join,
    PayOrder,
    Redeem,
    RefundOrder,
    Sell,
    SettleOrder,
    Withdraw,
    WithdrawApprove,
    WithdrawDone,
    WithdrawFail,
)
from zengzhi.domain.ledger import Posting
from zengzhi.domain.machine import apply
from zengzhi.domain.results import Outcome, Rejection, ResultCode
from zengzhi.domain.state import State
from zengzhi.engine.engine import Command, Engine, Receipt
from zengzhi.errors import (
    IdempotencyConflict,
    NotFound,
    ScenarioError,
    StoreError,
    ZengzhiError,
)

__version__ = "0.1.0"

__all__ = [
    "Command",
    "ConfigError",
    "Engine",
    "Event",
    "IdempotencyConflict",
    "Inject",
    "Join",
    "NotFound",
    "Outcome",
    "PayOrder",
    "Posting",
    "Receipt",
    "Redeem",
    "RefundOrder",
    "Rejection",
    "ResultCode",
    "ScenarioError",
    "Sell",
    "SettleOrder",
    "State",
    "StoreError",
    "TenantConfig",
    "Withdraw",
    "WithdrawApprove",
    "WithdrawDone",
    "WithdrawFail",
    "ZengzhiError",
    "__version__",
    "apply",
    "parse_tenant_config",
]
