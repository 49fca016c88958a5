"""regional.py: 区代 / 市代 / 省代 paid on orders in their region (seed 004's rates)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, assert_rejected, make_state, seed_config, snapshot
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import Join, PayOrder, RefundOrder, SetRank
from zengzhi.domain.plans.regional import code_level, enclosing
from zengzhi.domain.results import ResultCode
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view, plans_view

FIXED = {"district": "0.1%", "city": "0.05%", "province": "0.01%"}
DIFFERENTIAL = {"district": "0.1%", "city": "0.2%", "province": "0.3%"}


def config(mode: str = "fixed", rates: dict[str, str] | None = None, price: str = "1000.00") -> dict[str, Any]:
    data = seed_config()
    data["products"] = {"pack": {"price": price, "split": {"cost": "297.00", "region": "3.00",
                                                          "distribution": "300.00", "platform": "100.00",
                                                          "pool": "300.00"}}}
    data["plans"] = [{"type": "regional", "bucket": "region", "mode": mode, "rates": rates or FIXED}]
    return data


def tianhe(mode: str = "fixed", rates: dict[str, str] | None = None) -> State:
    """D holds 天河区 440106, C 广州市 440100, P 广东省 440000; buyer B lives in 天河区."""
    state = make_state(config(mode, rates))
    for member in ("D", "C", "P"):
        accept(state, Join(member))
    accept(state, Join("B", region="440106"))
    accept(state, SetRank("D", "district", region="440106"))
    accept(state, SetRank("C", "city", region="440100"))
    accept(state, SetRank("P", "province", region="440000"))
    return state


def cash(state: State, member: str) -> str:
    return str(member_view(state, member)["cash"])


def test_codes_and_their_regions() -> None:
    assert code_level("440106") == "district"
    assert code_level("440100") == "city"
    assert code_level("440000") == "province"
    for bad in ("440006", "44010", "4401066", "040106", "400106", "44O106", "４４０１０６"):
        assert code_level(bad) is None, bad
    assert enclosing("440106") == {"province": "440000", "city": "440100", "district": "440106"}
    assert enclosing("440100") == {"province": "440000", "city": "440100"}
    assert enclosing("nope") == {}


def test_fixed_rates_of_seed_004() -> None:
    state = tianhe()
    outcome = accept(state, PayOrder("o1", "B", "pack"))
    assert (cash(state, "D"), cash(state, "C"), cash(state, "P")) == ("1.00", "0.50", "0.10")
    paid = {p.rule: p for p in outcome.postings if p.plan == "regional"}
    assert paid["regional.district"].memo == "区代 district agent of 440106: 0.1% of 1000.00 on B's order"
    assert paid["regional.city"].amount == 50
    residual = [p for p in outcome.postings if p.rule == "plan.residual"]
    assert [p.amount for p in residual] == [300 - 160]  # bucket = payouts + residual


def test_differential_pays_the_difference_over_what_was_paid_below() -> None:
    state = tianhe("differential", DIFFERENTIAL)
    outcome = accept(state, PayOrder("o1", "B", "pack"))
    assert (cash(state, "D"), cash(state, "C"), cash(state, "P")) == ("1.00", "1.00", "1.00")
    memo = next(p.memo for p in outcome.postings if p.rule == "regional.city")
    assert memo == "市代 city agent of 440100: 0.2% - 0.1% paid below = 0.1% of 1000.00 on B's order"


def test_missing_holder_goes_to_residual_and_differential_skips_it() -> None:
    state = make_state(config("differential", DIFFERENTIAL))
    accept(state, Join("C"))
    accept(state, Join("B", region="440106"))
    accept(state, SetRank("C", "city", region="440100"))
    accept(state, PayOrder("o1", "B", "pack"))
    assert cash(state, "C") == "2.00"  # no district agent took its 0.1%: the city takes all of 0.2%
    assert state.ledger.balance("residual") == 300 - 200


def test_order_outside_the_region_or_without_one_pays_nobody() -> None:
    state = tianhe()
    accept(state, Join("X", region="110101"))  # 北京 东城区
    accept(state, Join("Y"))
    accept(state, PayOrder("o1", "X", "pack"))
    accept(state, PayOrder("o2", "Y", "pack"))
    assert (cash(state, "D"), cash(state, "C"), cash(state, "P")) == ("0.00", "0.00", "0.00")
    assert state.ledger.balance("residual") == 600


def test_buyer_in_a_city_pays_city_and_province_only() -> None:
    state = tianhe()
    accept(state, Join("Z", region="440100"))
    accept(state, PayOrder("o1", "Z", "pack"))
    assert (cash(state, "D"), cash(state, "C"), cash(state, "P")) == ("0.00", "0.50", "0.10")


def test_rounding_is_down_per_holder() -> None:
    data = config()
    data["products"]["pack"] = {"price": "999.99", "split": {"cost": "296.99", "region": "3.00",
                                                             "distribution": "300.00", "platform": "100.00",
                                                             "pool": "300.00"}}
    state = make_state(data)
    accept(state, Join("P"))
    accept(state, Join("B", region="440106"))
    accept(state, SetRank("P", "province", region="440000"))
    accept(state, PayOrder("o1", "B", "pack"))
    assert cash(state, "P") == "0.09"  # 0.01% of 999.99 is 0.099999: floor to 9 cents, the rest residual
    assert state.ledger.balance("residual") == 300 - 9


def test_new_holder_replaces_the_old_one() -> None:
    state = tianhe()
    accept(state, Join("E"))
    accept(state, SetRank("E", "district", region="440106"))
    accept(state, PayOrder("o1", "B", "pack"))
    assert (cash(state, "D"), cash(state, "E")) == ("0.00", "1.00")
    assert "regional" not in member_view(state, "D")
    assert member_view(state, "E")["regional"] == {"regions": ["district:440106"]}
    assert plans_view(state)["regional"]["holders"]["district:440106"] == "E"


def test_one_member_may_hold_several_regions() -> None:
    state = tianhe()
    accept(state, SetRank("D", "city", region="440100"))
    accept(state, PayOrder("o1", "B", "pack"))
    assert cash(state, "D") == "1.50"
    assert member_view(state, "D")["regional"] == {"regions": ["city:440100", "district:440106"]}


@pytest.mark.parametrize(("event", "code", "field"), [
    (SetRank("D", "mayor", region="440106"), ResultCode.INVALID_RANK, "rank"),
    (SetRank("D", "district"), ResultCode.INVALID_FIELD, "region"),
    (SetRank("D", "district", region="440100"), ResultCode.INVALID_FIELD, "region"),
    (SetRank("D", "city", region="440106"), ResultCode.INVALID_FIELD, "region"),
    (SetRank("D", "province", region="44"), ResultCode.INVALID_FIELD, "region"),
    (SetRank("nobody", "district", region="440106"), ResultCode.UNKNOWN_MEMBER, "member"),
    (SetRank("D", "district", plan="other", region="440106"), ResultCode.UNKNOWN_PLAN, "plan"),
    (Join("W", region="4401"), ResultCode.INVALID_FIELD, "region"),
])
def test_rejections_change_nothing(event: Any, code: ResultCode, field: str) -> None:
    assert_rejected(tianhe(), event, code, field)


def test_unconfigured_level_is_not_a_rank() -> None:
    state = make_state(config(rates={"district": "0.1%"}))
    accept(state, Join("D"))
    assert_rejected(state, SetRank("D", "city", region="440100"), ResultCode.INVALID_RANK, "rank")


def test_refund_before_settlement_changes_nothing() -> None:
    state = tianhe()
    accept(state, PayOrder("o1", "B", "pack", settle=False))
    before = snapshot(state)
    accept(state, RefundOrder("o1"))
    after = snapshot(state)
    assert (cash(state, "D"), cash(state, "C"), cash(state, "P")) == ("0.00", "0.00", "0.00")
    assert after["view"]["plans"] == before["view"]["plans"]
    assert "residual" not in state.ledger.balances


@pytest.mark.parametrize(("plan", "field"), [
    ({"rates": FIXED}, "plans[0].bucket"),
    ({"bucket": "region"}, "plans[0].rates"),
    ({"bucket": "region", "rates": {}}, "plans[0].rates"),
    ({"bucket": "region", "rates": {"street": "1%"}}, "plans[0].rates.street"),
    ({"bucket": "region", "rates": {"city": "120%"}}, "plans[0].rates.city"),
    ({"bucket": "region", "rates": FIXED, "mode": "tiered"}, "plans[0].mode"),
    ({"bucket": "region", "rates": FIXED, "mode": "differential"}, "plans[0].rates.city"),
    ({"bucket": "region", "rates": {"district": "1%"}}, "plans[0].bucket"),  # 10.00 > the 3.00 bucket
    ({"bucket": "region", "rates": DIFFERENTIAL}, "plans[0].bucket"),  # fixed: 6.00 > 3.00
    ({"bucket": "region", "rates": FIXED, "colour": "red"}, "plans[0].colour"),
])
def test_config_errors_name_the_field(plan: dict[str, Any], field: str) -> None:
    data = config()
    data["plans"] = [{"type": "regional", **plan}]
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert err.value.field == field


def test_differential_needs_only_the_top_rate_in_the_bucket() -> None:
    parse_tenant_config(config("differential", DIFFERENTIAL))  # 3.00 fits the 3.00 bucket
