"""config.py: a tenant config parses to exact values; every error names its field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.strategies import seed_config
from zengzhi.domain.config import ConfigError, GrantStep, PoolConfig, parse_tenant_config
from zengzhi.domain.money import Ratio
from zengzhi.domain.split import SplitPart


def test_seed_config_parses_to_exact_values() -> None:
    config = parse_tenant_config(seed_config())
    pool = config.pool
    assert pool.initial_price == Ratio(1, 100)  # 1.00 yuan per point, in cents per unit
    assert pool.grant_ratio == Ratio(7, 10)
    assert pool.sell_retention == Ratio(1, 5)
    assert pool.redeem_retention == Ratio(1, 5)  # defaults to the sell retention
    assert pool.exit_multiple == Ratio(3, 1)
    product = config.products["pack1000"]
    assert product.price_cents == 100_000
    assert product.split == (SplitPart("cost", 30_000), SplitPart("distribution", 30_000),
                             SplitPart("platform", 10_000), SplitPart("pool", 30_000))


def test_ratios_in_any_notation() -> None:
    config = parse_tenant_config(seed_config(grant_ratio="70%", exit_multiple="6/5",
                                             redeem_retention="0.5", initial_price="1.5"))
    assert config.pool.grant_ratio == Ratio(7, 10)
    assert config.pool.exit_multiple == Ratio(6, 5)
    assert config.pool.redeem_retention == Ratio(1, 2)
    assert config.pool.initial_price == Ratio(3, 200)


@pytest.mark.parametrize("k", ["0", 0, None])
def test_exit_multiple_zero_or_absent_means_no_forced_exit(k: object) -> None:
    assert parse_tenant_config(seed_config(exit_multiple=k)).pool.exit_multiple is None


def test_absent_pool_section_means_the_same_as_an_empty_one() -> None:
    # pool.md: "`0` or absent = no forced exit"; a missing ``pool`` section must not
    # bring back a multiple that an empty one leaves out
    assert parse_tenant_config({}).pool == parse_tenant_config({"pool": {}}).pool
    assert parse_tenant_config({"pool": None}).pool.exit_multiple is None


def test_defaults() -> None:
    pool = parse_tenant_config({"pool": {}}).pool
    assert (pool.initial_price, pool.grant_ratio, pool.sell_retention, pool.redeem_retention) == (
        Ratio(1, 100), Ratio(7, 10), Ratio(1, 5), Ratio(1, 5))
    assert pool.grant_schedule == ()
    assert parse_tenant_config(None).products == {}


def test_percent_split_product() -> None:
    config = parse_tenant_config({"products": {"p": {"price": "100.00", "split": {
        "cost": "30%", "platform": "10.00", "pool": "60%"}}}})
    assert config.products["p"].split == (SplitPart("cost", percent=Ratio(3, 10)),
                                          SplitPart("platform", 1_000),
                                          SplitPart("pool", percent=Ratio(3, 5)))


def test_grant_schedule() -> None:
    config = parse_tenant_config(seed_config(grant_schedule=[
        {"grant_ratio": "0.50", "pool_money_min": "600.00"},
        {"grant_ratio": "10%", "from_ms": 1_000},
    ]))
    pool = config.pool
    assert pool.grant_schedule == (GrantStep(Ratio(1, 2), 60_000, 0),
                                   GrantStep(Ratio(1, 10), 0, 1_000))
    assert pool.grant_ratio_at(59_999, 0) == Ratio(7, 10)
    assert pool.grant_ratio_at(60_000, 0) == Ratio(1, 2)
    assert pool.grant_ratio_at(0, 1_000) == Ratio(1, 10)  # the last step that holds wins
    assert pool.grant_ratio_at(60_000, 999) == Ratio(1, 2)


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(seed_config())
    here = data
    for key in path[:-1]:
        here = here[key]
    here[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_with(("products", "pack1000", "split", "pool"), "299.99"), "products.pack1000.split"),
        (_with(("products", "pack1000", "split"), {}), "products.pack1000.split"),
        (_with(("products", "pack1000", "split"), None), "products.pack1000.split"),
        (_with(("products", "pack1000", "split", "pool"), "30.001"),
         "products.pack1000.split.pool"),
        (_with(("products", "pack1000", "split", "pool"), 300.0),
         "products.pack1000.split.pool"),
        (_with(("products", "pack1000", "split", "pool"), "-300.00"),
         "products.pack1000.split.pool"),
        (_with(("products", "pack1000", "split", "pool"), "x%"), "products.pack1000.split.pool"),
        (_with(("products", "pack1000", "split", "merchant"), "0.00"),
         "products.pack1000.split.merchant"),
        (_with(("products", "pack1000", "split", "no-dash"), "0.00"),
         "products.pack1000.split.no-dash"),
        (_with(("products", "pack1000", "price"), "1000.001"), "products.pack1000.price"),
        (_with(("products", "pack1000", "price"), 1000.0), "products.pack1000.price"),
        (_with(("products", "pack1000", "colour"), "red"), "products.pack1000.colour"),
        (_with(("products", "pack1000"), "1000.00"), "products.pack1000"),
        (_with(("products",), ["pack1000"]), "products"),
        ({"products": {"p": {"split": {"pool": "1.00"}}}}, "products.p.price"),
        (_with(("pool", "grant_ratio"), "1"), "pool.grant_ratio"),
        (_with(("pool", "grant_ratio"), "1.5"), "pool.grant_ratio"),
        (_with(("pool", "grant_ratio"), "-0.1"), "pool.grant_ratio"),
        (_with(("pool", "grant_ratio"), 0.7), "pool.grant_ratio"),
        (_with(("pool", "grant_ratio"), "seventy"), "pool.grant_ratio"),
        (_with(("pool", "sell_retention"), "100%"), "pool.sell_retention"),
        (_with(("pool", "redeem_retention"), "2"), "pool.redeem_retention"),
        (_with(("pool", "initial_price"), "0"), "pool.initial_price"),
        (_with(("pool", "exit_multiple"), "-3"), "pool.exit_multiple"),
        (_with(("pool", "exit_multiple"), "3/0"), "pool.exit_multiple"),
        (_with(("pool", "speed"), "fast"), "pool.speed"),
        (_with(("pool",), ["not", "a", "mapping"]), "pool"),
        (_with(("pool", "grant_schedule"), {"grant_ratio": "0.1"}), "pool.grant_schedule"),
        (_with(("pool", "grant_schedule"), ["0.1"]), "pool.grant_schedule[0]"),
        (_with(("pool", "grant_schedule"), [{"pool_money_min": "1.00"}]),
         "pool.grant_schedule[0].grant_ratio"),
        (_with(("pool", "grant_schedule"), [{"grant_ratio": "1"}]),
         "pool.grant_schedule[0].grant_ratio"),
        (_with(("pool", "grant_schedule"), [{"grant_ratio": "0.1", "pool_money_min": "-1"}]),
         "pool.grant_schedule[0].pool_money_min"),
        (_with(("pool", "grant_schedule"), [{"grant_ratio": "0.1", "from_ms": -1}]),
         "pool.grant_schedule[0].from_ms"),
        (_with(("pool", "grant_schedule"), [{"grant_ratio": "0.1", "from_ms": True}]),
         "pool.grant_schedule[0].from_ms"),
        (_with(("pool", "grant_schedule"), [{"grant_ratio": "0.1"}, {"grant_ratio": "0.1",
                                                                    "when": "now"}]),
         "pool.grant_schedule[1].when"),
        (_with(("unknown",), 1), "config.unknown"),
        (_with(("plans",), [{"type": "direct_referral"}]), "plans[0].type"),
        (_with(("plans",), [{"type": "referral", "bucket": "distribution",
                             "awards": ["10%", "25%"]}]), "plans[0].bucket"),
        (_with(("plans",), [{"type": "referral", "bucket": "nope", "awards": ["10%"]}]), "plans[0].bucket"),
        (_with(("plans",), [{"type": "referral", "bucket": "distribution", "awards": ["ten"]}]), "plans[0].awards[0]"),
        (["not", "a", "mapping"], "config"),
    ],
)
def test_errors_name_the_field(data: Any, field: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_tenant_config(data)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert info.value.reason


def test_split_error_says_why() -> None:
    with pytest.raises(ConfigError, match="split sums to 999.99, not the price 1000.00"):
        parse_tenant_config(_with(("products", "pack1000", "split", "pool"), "299.99"))


def test_pool_config_is_immutable() -> None:
    pool = PoolConfig()
    with pytest.raises(AttributeError):
        pool.grant_ratio = Ratio(1, 2)  # type: ignore[misc]
