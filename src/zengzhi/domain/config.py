"""Tenant configuration: pool parameters, products and their splits.

``parse_tenant_config`` turns a plain mapping (from YAML or JSON) into a
validated, immutable ``TenantConfig``; every error names the field and the
reason. Units inside: prices in cents per 0.0001 point unit, rates as exact
``Ratio`` values, amounts in cents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from zengzhi.domain.config_fields import ConfigError as ConfigError
from zengzhi.domain.config_fields import cents, no_unknown
from zengzhi.domain.money import (
    AmountError,
    Ratio,
    format_cents,
    parse_ratio,
    price_from_yuan,
)
from zengzhi.domain.plans.spec import PlanSpec
from zengzhi.domain.split import SplitPart, allocate, split_error

RESERVED_BUCKETS = frozenset({"external", "member", "residual", "merchant"})


@dataclass(frozen=True, slots=True)
class GrantStep:
    """控盘: from this pool size and/or time on, grant ``grant_ratio``."""

    grant_ratio: Ratio
    pool_cents_min: int = 0
    from_ms: int = 0


@dataclass(frozen=True, slots=True)
class PoolConfig:
    initial_price: Ratio = Ratio(1, 100)  # 1.00 yuan per point, in cents per unit
    grant_ratio: Ratio = Ratio(7, 10)
    sell_retention: Ratio = Ratio(1, 5)
    exit_multiple: Ratio | None = None  # None: no forced exit ("0 or absent", pool.md)
    redeem_retention: Ratio = Ratio(1, 5)
    grant_schedule: tuple[GrantStep, ...] = ()

    def grant_ratio_at(self, pool_cents: int, at_ms: int) -> Ratio:
        """The grant ratio in force: the last schedule step whose conditions hold."""
        ratio = self.grant_ratio
        for step in self.grant_schedule:
            if pool_cents >= step.pool_cents_min and at_ms >= step.from_ms:
                ratio = step.grant_ratio
        return ratio


@dataclass(frozen=True, slots=True)
class Product:
    price_cents: int
    split: tuple[SplitPart, ...]


@dataclass(frozen=True, slots=True)
class TenantConfig:
    pool: PoolConfig = field(default_factory=PoolConfig)
    products: Mapping[str, Product] = field(default_factory=dict)
    plans: tuple[PlanSpec, ...] = ()


def _ratio(data: Mapping[str, object], key: str, path: str, default: Ratio) -> Ratio:
    if key not in data or data[key] is None:
        return default
    try:
        return parse_ratio(data[key], f"{path}.{key}")
    except AmountError as exc:
        raise ConfigError(f"{path}.{key}", str(exc)) from None


def _in_unit_range(value: Ratio, path: str, *, closed_top: bool) -> None:
    ok = 0 <= value.num <= value.den if closed_top else 0 <= value.num < value.den
    if not ok:
        top = "1" if closed_top else "below 1"
        raise ConfigError(path, f"must be between 0 and {top}, got {Fraction(*value)}")


def parse_pool(data: object, path: str = "pool") -> PoolConfig:
    if data is None:
        data = {}  # an absent section means what an empty one means (no forced exit)
    if not isinstance(data, Mapping):
        raise ConfigError(path, "must be a mapping")
    no_unknown(data, path, {"initial_price", "grant_ratio", "sell_retention", "exit_multiple",
                             "redeem_retention", "grant_schedule"})
    base = PoolConfig()
    price = _ratio(data, "initial_price", path, Ratio(1, 1))
    if price.num <= 0:
        raise ConfigError(f"{path}.initial_price", "must be positive")
    grant = _ratio(data, "grant_ratio", path, base.grant_ratio)
    _in_unit_range(grant, f"{path}.grant_ratio", closed_top=False)
    retention = _ratio(data, "sell_retention", path, base.sell_retention)
    _in_unit_range(retention, f"{path}.sell_retention", closed_top=False)
    redeem = _ratio(data, "redeem_retention", path, retention)
    _in_unit_range(redeem, f"{path}.redeem_retention", closed_top=False)
    exit_multiple: Ratio | None = _ratio(data, "exit_multiple", path, Ratio(0, 1))
    assert exit_multiple is not None
    if exit_multiple.num < 0:
        raise ConfigError(f"{path}.exit_multiple", "must not be negative")
    return PoolConfig(
        initial_price=price_from_yuan(price),
        grant_ratio=grant,
        sell_retention=retention,
        exit_multiple=exit_multiple if exit_multiple.num > 0 else None,
        redeem_retention=redeem,
        grant_schedule=_parse_schedule(data.get("grant_schedule"), f"{path}.grant_schedule"),
    )


def _parse_schedule(data: object, path: str) -> tuple[GrantStep, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ConfigError(path, "must be a list of steps")
    steps = []
    for i, item in enumerate(data):
        here = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(here, "must be a mapping")
        no_unknown(item, here, {"grant_ratio", "pool_money_min", "from_ms"})
        if "grant_ratio" not in item:
            raise ConfigError(f"{here}.grant_ratio", "is required")
        ratio = _ratio(item, "grant_ratio", here, Ratio(0, 1))
        _in_unit_range(ratio, f"{here}.grant_ratio", closed_top=False)
        pool_min = cents(item.get("pool_money_min", 0), f"{here}.pool_money_min")
        from_ms = item.get("from_ms", 0)
        if isinstance(from_ms, bool) or not isinstance(from_ms, int) or from_ms < 0:
            raise ConfigError(f"{here}.from_ms", "must be a non-negative integer (ms since epoch)")
        steps.append(GrantStep(ratio, pool_min, from_ms))
    return tuple(steps)




def parse_split(data: object, path: str) -> tuple[SplitPart, ...]:
    """``{cost: "300.00", pool: "30%"}`` -> split parts, checked per field."""
    if not isinstance(data, Mapping) or not data:
        raise ConfigError(path, "must be a non-empty mapping of bucket -> amount or percent")
    parts = []
    for bucket, value in data.items():
        here = f"{path}.{bucket}"
        if not isinstance(bucket, str) or not bucket.isidentifier():
            raise ConfigError(here, "bucket names are identifiers (letters, digits, _)")
        if bucket in RESERVED_BUCKETS:
            raise ConfigError(here, f"{bucket!r} is a reserved account name")
        if isinstance(value, str) and value.strip().endswith("%"):
            parts.append(SplitPart(bucket, percent=_ratio(data, bucket, path, Ratio(0, 1))))
        else:
            parts.append(SplitPart(bucket, fixed_cents=cents(value, here)))
    return tuple(parts)


def parse_product(data: object, path: str) -> Product:
    if not isinstance(data, Mapping):
        raise ConfigError(path, "must be a mapping with price and split")
    no_unknown(data, path, {"price", "split"})
    if "price" not in data:
        raise ConfigError(f"{path}.price", "is required")
    price = cents(data["price"], f"{path}.price")
    split = parse_split(data.get("split"), f"{path}.split")
    error = split_error(price, split)
    if error:
        raise ConfigError(f"{path}.split", error)
    return Product(price, split)


def parse_tenant_config(data: object) -> TenantConfig:
    """Validate a whole tenant config; raises ``ConfigError`` naming the field."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError("config", "must be a mapping")
    no_unknown(data, "config", {"pool", "products", "plans"})
    products_data = data.get("products") or {}
    if not isinstance(products_data, Mapping):
        raise ConfigError("products", "must be a mapping of name -> product")
    products = {
        str(name): parse_product(value, f"products.{name}") for name, value in products_data.items()
    }
    plans = parse_plans(data.get("plans"), products)
    return TenantConfig(pool=parse_pool(data.get("pool")), products=products, plans=plans)


def parse_plans(data: object, products: Mapping[str, Product]) -> tuple[PlanSpec, ...]:
    """The plans, each checked; then no bucket may be overdrawn by its plans."""
    from zengzhi.domain.plans.registry import parse_plan  # plan modules import this module's peers

    if data is None:
        return ()
    if not isinstance(data, list):
        raise ConfigError("plans", "must be a list of plan configs")
    plans = tuple(parse_plan(item, f"plans[{i}]") for i, item in enumerate(data))
    seen: dict[str, int] = {}
    for i, plan in enumerate(plans):
        if plan.name in seen:
            raise ConfigError(f"plans[{i}].name", f"plan name {plan.name!r} is used twice "
                              f"(plans[{seen[plan.name]}]); give each plan its own name")
        seen[plan.name] = i
    _check_references(plans, seen)
    _check_buckets(plans, products)
    return plans


def _check_references(plans: tuple[PlanSpec, ...], names: Mapping[str, int]) -> None:
    """Modifiers name the plans they act on (``applies_to``, ``lines_from``): those must exist."""
    for i, plan in enumerate(plans):
        for ref in plan.references():
            if ref.name not in names:
                raise ConfigError(f"plans[{i}].{ref.field}",
                                  f"no plan named {ref.name!r} (plans: {', '.join(names)})")
            kind = plans[names[ref.name]].kind
            if ref.kind is not None and kind != ref.kind:
                raise ConfigError(f"plans[{i}].{ref.field}",
                                  f"plan {ref.name!r} is a {kind} plan, not a {ref.kind} plan")


def _check_buckets(plans: tuple[PlanSpec, ...], products: Mapping[str, Product]) -> None:
    """拨比 ≥ 最高拨出: per product, the plans of a bucket can never pay more than it holds."""
    for i, plan in enumerate(plans):
        bucket = plan.bucket
        if bucket is None or not products:
            continue
        if not any(bucket == part.bucket for p in products.values() for part in p.split):
            raise ConfigError(f"plans[{i}].bucket", f"no product has a {bucket!r} bucket in its split")
    for name, product in products.items():
        allocation = allocate(product.price_cents, product.split)
        held = dict(allocation)
        drawn: dict[str, int] = {}
        for i, plan in enumerate(plans):
            if plan.bucket is None or plan.bucket not in held:
                continue  # a product without the bucket pays nothing from this plan
            most = plan.max_payout_cents(product.price_cents, allocation, name)
            drawn[plan.bucket] = drawn.get(plan.bucket, 0) + most
            if drawn[plan.bucket] > held.get(plan.bucket, 0):
                raise ConfigError(
                    f"plans[{i}].bucket",
                    f"on product {name!r} the plans paying from {plan.bucket!r} can pay up to "
                    f"{format_cents(drawn[plan.bucket])} but the bucket holds "
                    f"{format_cents(held.get(plan.bucket, 0))}")


