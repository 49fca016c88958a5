"""The plan-aware run: the kernel's events replayed through the domain with every reward plan.

Reward plans never touch the pool: they pay from their own split buckets
(拨比) and dividend pools, after the pool's grant, and forced exits and sales
read only the pool and the points. So the exact kernel runs the config
*without* plans (same arrivals, orders, sales, 复投), and its recorded events,
with sponsors, ranks and period events added (``plan_stream``), are replayed
through ``zengzhi.domain.machine.apply`` with the full config. The replay
must end on the kernel's pool to the cent and the 0.0001 point
(``pool_difference``); plan payouts come from its postings (``plan_payouts``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.ledger import POOL
from zengzhi.domain.machine import apply
from zengzhi.domain.money import format_cents
from zengzhi.domain.split import POOL_BUCKET
from zengzhi.domain.state import State
from zengzhi.sim.layout import S_EXITS, S_MONEY, S_POINTS, Int64Array
from zengzhi.sim.plan_payouts import PlanTally, rank_rows, top_shares
from zengzhi.sim.stream import Unsupported

PROGRESS_EVERY = 10_000  # orders between progress calls of the replay


def without_plans(config: TenantConfig) -> TenantConfig:
    """The config the kernel runs: the same pool and products, no plans."""
    paying_from_pool = [p.name for p in config.plans if p.bucket == POOL_BUCKET]
    if paying_from_pool:
        raise Unsupported(f"plan(s) {', '.join(paying_from_pool)} pay from the pool bucket; the simulator "
                          "needs plans to pay from their own buckets")
    return dataclasses.replace(config, plans=())


@dataclass(slots=True)
class Replayed:
    """A stream replayed through the domain: the final state, the plan payouts, what was refused."""

    state: State
    tally: PlanTally = field(default_factory=PlanTally)
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"index", "reason"}
    orders: int = 0  # settled orders
    events: int = 0


def _settles(event: ev.Event) -> bool:
    return isinstance(event, ev.SettleOrder) or (isinstance(event, ev.PayOrder) and event.settle)


def replay(config: TenantConfig, events: Iterable[tuple[ev.Event, int]],
           progress: Callable[[int], None] | None = None) -> Replayed:
    """Apply every event to a fresh ``State``; rejections are listed, plan postings tallied."""
    out = Replayed(State(config))
    state, tally = out.state, out.tally
    for index, (event, at_ms) in enumerate(events):
        outcome = apply(state, event, at_ms)
        out.events += 1
        if outcome.rejection is not None:
            out.rejected.append({"index": index, "reason": outcome.rejection.message()})
            continue
        tally.add(outcome.postings)
        if _settles(event) and not outcome.duplicate:
            out.orders += 1
            if progress is not None and out.orders % PROGRESS_EVERY == 0:
                progress(out.orders)
    return out


def pool_difference(state: State, sc: Int64Array) -> str | None:
    """Where the domain's final pool differs from the kernel's (``None``: the same)."""
    pairs = {"money": (state.pool.money_cents, int(sc[S_MONEY])),
             "pool account": (state.ledger.balance(POOL), int(sc[S_MONEY])),
             "points": (state.pool.points_units, int(sc[S_POINTS])),
             "exits": (state.exits_total, int(sc[S_EXITS]))}
    wrong = [f"{name} {domain} != {kernel}" for name, (domain, kernel) in pairs.items() if domain != kernel]
    return ", ".join(wrong) or None


def plans_block(state: State, tally: PlanTally) -> dict[str, Any]:
    """The ``plans`` part of ``simulate --json``: per plan, rule and rank; amounts as in ``replay``."""
    members_total = len(state.members)
    per_member = tally.per_member()
    rows = rank_rows(state, tally)
    by_plan: dict[str, Any] = {}
    for plan in state.plans:
        name = plan.name
        entry: dict[str, Any] = {
            "type": plan.spec.kind,
            "paid": format_cents(tally.plan_paid(name)),
            "rules": {rule: format_cents(c) for rule, c in sorted(tally.paid.get(name, {}).items())},
            "members_paid": sum(1 for c in tally.by_member(name).values() if c),
            "members_total": members_total,
        }
        if name in tally.moved:
            entry["to_accounts"] = {rule: format_cents(c) for rule, c in sorted(tally.moved[name].items())}
        if name in tally.released:
            entry["released"] = format_cents(tally.released[name])
        entry["by_rank"] = [{"rank": r.rank, "members": r.members, "paid": format_cents(r.paid_cents),
                             "mean": format_cents(r.mean_cents), "share": round(r.share, 6)}
                            for r in rows if r.plan == name]
        by_plan[name] = entry
    shares = top_shares(per_member, members_total)
    return {
        "paid": format_cents(tally.total_paid()),
        "residual": format_cents(tally.residual_cents),
        "residual_by_bucket": {bucket: format_cents(c) for bucket, c in sorted(tally.residual.items())},
        "members_paid": sum(1 for c in per_member.values() if c),
        "members_total": members_total,
        **{f"{name}_share": round(value, 6) for name, value in shares.items()},
        "by_plan": by_plan,
    }
