"""dividend.py: 分红池 — seed 002's 40 per 1000 pack shared 董事 30% / 联创 30% / 合伙人 40%,
and the 股东 pool shared by 分红权 (5000 pack 0.5, 10000 pack 1)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, assert_rejected, make_state, seed_config, snapshot
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import ClosePeriod, Join, PayOrder, RefundOrder, SetRank
from zengzhi.domain.results import ResultCode
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view, plans_view

CLASSES = {"董事": "30%", "联创": "30%", "合伙人": "40%"}
WEIGHTS = {"pack5000": "0.5", "pack10000": "1"}


def split(times: int) -> dict[str, str]:
    """Seed 002's split of a 1000 pack, scaled."""
    parts = {"linkage": 330, "dividend": 40, "pool": 300, "cost": 200, "platform": 70, "tier": 30,
             "shareholder": 30}
    return {k: f"{v * times}.00" for k, v in parts.items()}


def config(*plans: dict[str, Any]) -> dict[str, Any]:
    data = seed_config()
    data["products"] = {f"pack{n * 1000}": {"price": f"{n * 1000}.00", "split": split(n)} for n in (1, 5, 10)}
    data["plans"] = list(plans) or [
        {"type": "dividend", "bucket": "dividend", "inflow": "4%", "by": "class", "classes": CLASSES}]
    return data


def classes(*members: tuple[str, str]) -> State:
    state = make_state(config())
    accept(state, Join("buyer"))
    for member, rank in members:
        accept(state, Join(member))
        accept(state, SetRank(member, rank))
    return state


def cash(state: State, member: str) -> str:
    return str(member_view(state, member)["cash"])


def test_inflow_40_per_1000_pack_into_the_pool() -> None:
    state = classes()
    outcome = accept(state, PayOrder("o1", "buyer", "pack1000"))
    inflow = [p for p in outcome.postings if p.rule == "dividend.inflow"]
    assert [(p.from_account, p.to_account, p.amount) for p in inflow] == [("dividend", "dividend:dividend", 4000)]
    assert inflow[0].memo == "分红 dividend inflow: 4% of buyer's 1000.00 order into dividend:dividend (period 1)"
    assert plans_view(state)["dividend"]["pool"] == "40.00"


def test_shares_by_class_and_empty_class_carried_over() -> None:
    state = classes(("D1", "董事"), ("D2", "董事"), ("H1", "合伙人"), ("H2", "合伙人"), ("H3", "合伙人"))
    for i in range(3):
        accept(state, PayOrder(f"o{i}", "buyer", "pack1000"))
    outcome = accept(state, ClosePeriod())
    # 120.00: 董事 36 -> 18 each; 联创 36 carried (nobody); 合伙人 48 -> 16 each
    assert [cash(state, m) for m in ("D1", "D2", "H1", "H2", "H3")] == ["18.00", "18.00", "16.00", "16.00",
                                                                       "16.00"]
    assert outcome.postings[0].memo == "分红 dividend period 1: 董事 class 30% of 120.00 = 36.00 shared by 2"
    assert plans_view(state)["dividend"] == {"period": 2, "pool": "36.00", "carried": {"联创": "36.00"},
                                             "members": {"董事": 2, "联创": 0, "合伙人": 3}}
    accept(state, Join("L"))
    accept(state, SetRank("L", "联创"))
    accept(state, PayOrder("o3", "buyer", "pack1000"))
    outcome = accept(state, ClosePeriod("dividend"))
    # fresh 40.00: 董事 12 -> 6 each; 联创 12 + 36 carried = 48 to L; 合伙人 16 -> 5.33 each, 1 cent stays
    assert cash(state, "D1") == "24.00"
    assert cash(state, "L") == "48.00"
    assert cash(state, "H3") == "21.33"
    memo = next(p.memo for p in outcome.postings if p.to_account == "member:L:cash")
    assert memo == "分红 dividend period 2: 联创 class 30% of 40.00 + 36.00 carried = 48.00 shared by 1"
    assert plans_view(state)["dividend"]["pool"] == "0.01"
    assert plans_view(state)["dividend"]["carried"] == {}


def test_undivisible_cents_stay_and_join_the_next_period() -> None:
    state = classes(("H1", "合伙人"), ("H2", "合伙人"), ("H3", "合伙人"), ("D", "董事"), ("L", "联创"))
    accept(state, PayOrder("o1", "buyer", "pack1000"))
    accept(state, ClosePeriod())
    assert cash(state, "H1") == "5.33"  # 40% of 40.00 = 16.00 / 3
    assert plans_view(state)["dividend"]["pool"] == "0.01"
    accept(state, PayOrder("o2", "buyer", "pack1000"))
    accept(state, ClosePeriod())  # 40.01: 合伙人 floor(16.004) = 16.00 -> 5.33 each again
    assert plans_view(state)["dividend"]["pool"] == "0.02"  # 董事 12.003 -> 12.00, 联创 12.00, 合伙人 0.01


def test_close_with_an_empty_pool_advances_the_period() -> None:
    state = classes(("D", "董事"))
    outcome = accept(state, ClosePeriod())
    assert outcome.postings == ()
    assert plans_view(state)["dividend"]["period"] == 2


def test_class_changes_and_leaving() -> None:
    state = classes(("X", "董事"))
    accept(state, SetRank("X", "合伙人"))
    assert member_view(state, "X")["dividend"] == {"class": "合伙人"}
    accept(state, SetRank("X", "none"))
    assert "dividend" not in member_view(state, "X")
    assert plans_view(state)["dividend"]["members"] == {"董事": 0, "联创": 0, "合伙人": 0}


def test_weighted_shareholder_dividend() -> None:
    plan = {"type": "dividend", "name": "shareholder", "bucket": "shareholder", "inflow": "3%",
            "by": "weight", "weights": WEIGHTS}
    state = make_state(config(plan))
    for member in ("S", "W1", "W2"):
        accept(state, Join(member))
    accept(state, PayOrder("a", "S", "pack1000"))  # 30 in, no 分红权
    accept(state, PayOrder("b", "W1", "pack5000"))  # 150 in, 0.5
    accept(state, PayOrder("c", "W2", "pack10000"))  # 300 in, 1
    outcome = accept(state, ClosePeriod("shareholder"))
    assert (cash(state, "S"), cash(state, "W1"), cash(state, "W2")) == ("0.00", "160.00", "320.00")
    assert outcome.postings[0].memo == "分红 dividend period 1: weight 0.5 of 1.5 分红权 × 480.00"
    assert member_view(state, "W1")["shareholder"] == {"weight": "0.5"}
    accept(state, PayOrder("d", "W1", "pack5000"))  # rights accrue per purchase: W1 now 1
    accept(state, ClosePeriod("shareholder"))  # 150.00 / 2 = 75.00 each
    assert (cash(state, "W1"), cash(state, "W2")) == ("235.00", "395.00")
    assert plans_view(state)["shareholder"] == {"period": 3, "pool": "0.00", "weight": "2"}


def test_weighted_pool_without_rights_waits() -> None:
    plan = {"type": "dividend", "bucket": "shareholder", "inflow": "30.00", "by": "weight", "weights": WEIGHTS,
            "products": ["pack1000"]}
    state = make_state(config(plan))
    accept(state, Join("S"))
    accept(state, PayOrder("a", "S", "pack1000"))
    accept(state, PayOrder("b", "S", "pack5000"))  # not a filling product; gives 0.5 all the same
    assert plans_view(state)["dividend"]["pool"] == "30.00"
    accept(state, ClosePeriod())
    assert cash(state, "S") == "30.00"


def test_weighted_undivisible_cents_stay() -> None:
    plan = {"type": "dividend", "bucket": "shareholder", "inflow": "100.00", "by": "weight",
            "weights": {"pack5000": "1"}, "products": ["pack5000"]}
    state = make_state(config(plan))
    for member in ("A", "B", "C"):
        accept(state, Join(member))
    for member in ("A", "B", "C"):
        accept(state, PayOrder(f"o{member}", member, "pack5000"))
    accept(state, ClosePeriod())
    assert [cash(state, m) for m in "ABC"] == ["100.00", "100.00", "100.00"]
    accept(state, PayOrder("x", "A", "pack5000"))  # A: 2 of 4 rights
    accept(state, ClosePeriod())
    assert [cash(state, m) for m in "ABC"] == ["150.00", "125.00", "125.00"]


def test_refund_before_settlement_changes_nothing() -> None:
    plan = {"type": "dividend", "name": "shareholder", "bucket": "shareholder", "inflow": "3%",
            "by": "weight", "weights": WEIGHTS}
    state = make_state(config(plan))
    accept(state, Join("W"))
    accept(state, PayOrder("o1", "W", "pack10000", settle=False))
    before = snapshot(state)["view"]
    accept(state, RefundOrder("o1"))
    after = snapshot(state)["view"]
    assert after["plans"] == before["plans"] == {"shareholder": {"period": 1, "pool": "0.00", "weight": "0"}}
    assert "shareholder" not in member_view(state, "W")


@pytest.mark.parametrize(("event", "code", "field"), [
    (SetRank("D", "国王"), ResultCode.INVALID_RANK, "rank"),
    (SetRank("D", "董事", region="440106"), ResultCode.INVALID_FIELD, "region"),
    (SetRank("nobody", "董事"), ResultCode.UNKNOWN_MEMBER, "member"),
    (ClosePeriod("nope"), ResultCode.UNKNOWN_PLAN, "plan"),
])
def test_rejections_change_nothing(event: Any, code: ResultCode, field: str) -> None:
    state = classes(("D", "董事"))
    accept(state, PayOrder("o1", "buyer", "pack1000"))
    assert_rejected(state, event, code, field)


def test_two_dividend_plans_each_close_their_own_pool() -> None:
    state = make_state(config(
        {"type": "dividend", "bucket": "dividend", "inflow": "4%", "by": "class", "classes": CLASSES},
        {"type": "dividend", "name": "shareholder", "bucket": "shareholder", "inflow": "3%", "by": "weight",
         "weights": WEIGHTS}))
    accept(state, Join("W"))
    accept(state, PayOrder("o1", "W", "pack10000"))
    accept(state, ClosePeriod("shareholder"))
    assert cash(state, "W") == "300.00"
    assert plans_view(state)["dividend"]["pool"] == "400.00"
    accept(state, ClosePeriod())  # both: the class pool has nobody, so all of it is carried
    assert plans_view(state)["dividend"]["carried"] == {"董事": "120.00", "联创": "120.00", "合伙人": "160.00"}


@pytest.mark.parametrize(("plan", "field"), [
    ({"inflow": "4%", "by": "class", "classes": CLASSES}, "plans[0].bucket"),
    ({"bucket": "dividend", "by": "class", "classes": CLASSES}, "plans[0].inflow"),
    ({"bucket": "dividend", "inflow": "41.00", "by": "class", "classes": CLASSES}, "plans[0].bucket"),
    ({"bucket": "dividend", "inflow": "4.1%", "by": "class", "classes": CLASSES}, "plans[0].bucket"),
    ({"bucket": "dividend", "inflow": "4%", "classes": CLASSES}, "plans[0].by"),
    ({"bucket": "dividend", "inflow": "4%", "by": "rank", "classes": CLASSES}, "plans[0].by"),
    ({"bucket": "dividend", "inflow": "4%", "by": "class"}, "plans[0].classes"),
    ({"bucket": "dividend", "inflow": "4%", "by": "class", "classes": {"董事": "30%"}}, "plans[0].classes"),
    ({"bucket": "dividend", "inflow": "4%", "by": "class", "classes": {"董事": "130%"}}, "plans[0].classes.董事"),
    ({"bucket": "dividend", "inflow": "4%", "by": "class", "classes": {"none": "100%"}}, "plans[0].classes.none"),
    ({"bucket": "dividend", "inflow": "4%", "by": "class", "classes": CLASSES, "weights": WEIGHTS},
     "plans[0].weights"),
    ({"bucket": "dividend", "inflow": "4%", "by": "weight"}, "plans[0].weights"),
    ({"bucket": "dividend", "inflow": "4%", "by": "weight", "weights": {"pack5000": "half"}},
     "plans[0].weights.pack5000"),
    ({"bucket": "dividend", "inflow": "4%", "by": "weight", "weights": {}}, "plans[0].weights"),
    ({"bucket": "dividend", "inflow": "4%", "by": "weight", "weights": {"pack5000": "-1"}},
     "plans[0].weights.pack5000"),
])
def test_config_errors_name_the_field(plan: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(config({"type": "dividend", **plan}))
    assert err.value.field == field
