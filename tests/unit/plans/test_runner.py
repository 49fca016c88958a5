"""plans/runner.py and plan_events.py: buckets, residual, modifiers, plan event dispatch."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, assert_rejected, make_state, seed_config
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import ClosePeriod, Join, PayOrder, RefundOrder, SetRank, SettleOrder, Tick
from zengzhi.domain.ledger import CNY, RESIDUAL, Posting
from zengzhi.domain.plans.base import Payout, Plan, SettleContext
from zengzhi.domain.plans.runner import settle_plans
from zengzhi.domain.plans.spec import PlanSpec
from zengzhi.domain.results import ResultCode
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Order, State


def config(*plans: dict[str, Any]) -> dict[str, Any]:
    data = seed_config()
    data["plans"] = list(plans)
    return data


def chain(state: State, *members: str) -> State:
    sponsor = None
    for member in members:
        accept(state, Join(member, sponsor))
        sponsor = member
    return state


def plan_postings(postings: tuple[Posting, ...]) -> list[tuple[str, str, int, str]]:
    return [(p.from_account, p.to_account, p.amount, p.rule) for p in postings
            if p.plan or p.rule == "plan.residual"]


def test_plans_sharing_a_bucket_draw_in_order_and_the_rest_is_residual() -> None:
    state = chain(make_state(config(
        {"type": "referral", "name": "first", "bucket": "distribution", "awards": ["20%"]},
        {"type": "referral", "name": "second", "bucket": "distribution", "awards": ["5%", "5%"]})),
        "A", "B", "C")
    outcome = accept(state, PayOrder("o1", "C", "pack1000"))
    assert plan_postings(outcome.postings) == [
        ("distribution", "member:B:cash", 20_000, "referral.gen1"),
        ("distribution", "member:B:cash", 5_000, "referral.gen1"),
        ("distribution", "member:A:cash", 5_000, "referral.gen2"),
    ]  # 200 + 50 + 50 = the whole 300 bucket: no residual posting
    assert state.ledger.balance("distribution") == 0
    assert state.ledger.balance(RESIDUAL) == 0


def test_no_upline_sends_the_whole_bucket_to_residual_with_a_memo() -> None:
    state = chain(make_state(config({"type": "referral", "bucket": "distribution", "awards": ["10%"]})), "A")
    outcome = accept(state, PayOrder("o1", "A", "pack1000"))
    residual = [p for p in outcome.postings if p.rule == "plan.residual"]
    assert [(p.from_account, p.to_account, p.amount) for p in residual] == [("distribution", RESIDUAL, 30_000)]
    assert "unpaid part of the distribution bucket" in residual[0].memo
    assert state.ledger.balance("distribution") == 0


def test_an_inline_split_without_the_bucket_pays_nothing() -> None:
    from zengzhi.domain.split import SplitPart

    state = chain(make_state(config({"type": "referral", "bucket": "distribution", "awards": ["10%"]})),
                  "A", "B")
    outcome = accept(state, PayOrder("o1", "B", amount_cents=10_000,
                                     split=(SplitPart("cost", 7_000), SplitPart("pool", 3_000))))
    assert plan_postings(outcome.postings) == []
    assert state.ledger.balance("member:A:cash") == 0


def test_refund_before_settlement_pays_no_plan_and_changes_no_plan_state() -> None:
    state = chain(make_state(config({"type": "referral", "bucket": "distribution", "awards": ["10%"],
                                     "eligible": "bought"})), "A", "B")
    accept(state, PayOrder("o0", "A", "pack1000"))
    accept(state, PayOrder("o1", "B", "pack1000", settle=False))
    accept(state, RefundOrder("o1"))
    assert state.ledger.balance("member:A:cash") == 0
    assert state.plans[0].member_view(state, state.members["B"]) == {"bought": False}
    accept(state, PayOrder("o2", "B", "pack1000", settle=False))
    accept(state, SettleOrder("o2"))
    assert state.ledger.balance("member:A:cash") == 10_000


@pytest.mark.parametrize("awards, field", [
    (["10%", "25%"], "plans[0].bucket"),      # 100 + 250 > 300
    (["301.00"], "plans[0].bucket"),
    (["150%"], "plans[0].awards[0]"),
])
def test_a_plan_that_can_overdraw_its_bucket_is_refused_at_load(awards: list[str], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_tenant_config(config({"type": "referral", "bucket": "distribution", "awards": awards}))
    assert caught.value.field == field


def test_two_plans_sharing_a_bucket_are_validated_together() -> None:
    with pytest.raises(ConfigError, match="can pay up to 310.00 but the bucket holds 300.00"):
        parse_tenant_config(config(
            {"type": "referral", "name": "a", "bucket": "distribution", "awards": ["200.00"]},
            {"type": "referral", "name": "b", "bucket": "distribution", "awards": ["110.00"]}))


def test_plan_names_are_unique() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_tenant_config(config({"type": "referral", "bucket": "distribution", "awards": ["1%"]},
                                   {"type": "referral", "bucket": "distribution", "awards": ["1%"]}))
    assert caught.value.field == "plans[1].name"


def test_plan_events_name_a_plan_that_exists() -> None:
    state = chain(make_state(config({"type": "referral", "bucket": "distribution", "awards": ["1%"]})), "A")
    assert_rejected(state, SetRank("A", "v1"), ResultCode.UNKNOWN_PLAN, "plan")
    assert_rejected(state, SetRank("A", "v1", "nope"), ResultCode.UNKNOWN_PLAN, "plan")
    assert_rejected(state, SetRank("Z", "v1"), ResultCode.UNKNOWN_MEMBER, "member")
    assert_rejected(state, ClosePeriod("nope"), ResultCode.UNKNOWN_PLAN, "plan")
    assert_rejected(state, ClosePeriod(), ResultCode.UNKNOWN_PLAN, "plan")
    assert accept(state, Tick()).postings == ()  # nothing time-driven: a tick does nothing


class _Greedy(Plan):
    """Asks for more than its bucket holds: the context must cap it."""

    def on_settle(self, ctx: SettleContext) -> None:
        paid = ctx.pay(ctx.buyer, 10**9, "greedy.all", "wants everything")
        assert paid == dict(ctx.order.allocation)["distribution"]


class _Halve(Plan):
    modifier = True

    def modify(self, state: State, order: Order, payouts: list[Payout]) -> list[Payout]:
        out = []
        for p in payouts:
            half = p.amount_cents // 2
            out.append(p._replace(amount_cents=p.amount_cents - half))
            out.append(Payout(p.source, RESIDUAL, half, "halve.burn", "half burned", None, self.name))
        return out


class _Spec(PlanSpec):
    def build(self) -> Plan:
        return _Halve(self) if self.name == "halve" else _Greedy(self)

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        return 0


def test_the_context_caps_payouts_and_modifiers_rewrite_them() -> None:
    state = chain(make_state(), "A")
    state.plans = (_Spec("greedy", "distribution").build(), _Spec("halve", None).build())
    outcome = accept(state, PayOrder("o1", "A", "pack1000"))
    assert plan_postings(outcome.postings) == [
        ("distribution", "member:A:cash", 15_000, "greedy.all"),
        ("distribution", RESIDUAL, 15_000, "halve.burn")]
    assert state.ledger.balance("distribution") == 0


def test_settle_plans_is_empty_without_plans() -> None:
    state = chain(make_state(), "A")
    order = Order("o", "A", 100_000, (("distribution", 30_000),), "pack1000", "settled")
    assert settle_plans(state, order, state.members["A"], 0) == []
    assert Posting("a", "b", CNY, 1, "r").memo == ""


def test_a_modifier_must_name_plans_that_exist() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_tenant_config(config(
            {"type": "referral", "bucket": "distribution", "awards": ["10%"]},
            {"type": "quota", "grants": {"pack1000": "1000.00"}, "applies_to": ["referal"]}))
    assert caught.value.field == "plans[1].applies_to"
    assert "no plan named 'referal'" in caught.value.reason


def test_a_help_fund_takes_its_lines_from_a_linkage_plan() -> None:
    with pytest.raises(ConfigError, match="'referral' is a referral plan, not a linkage plan") as caught:
        parse_tenant_config(config(
            {"type": "referral", "bucket": "distribution", "awards": ["10%"]},
            {"type": "help_fund", "share": "20%", "applies_to": ["referral"], "lines_from": "referral"}))
    assert caught.value.field == "plans[1].lines_from"
