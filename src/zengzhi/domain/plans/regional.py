"""区代 / 市代 / 省代 — regional agents paid on every order placed in their region.

An operator sells a region (卖地图) to a member with ``set_rank {member,
rank: district|city|province, region: "440106"}``. Region codes are GB/T 2260
six-digit codes: district ``440106`` (天河区) lies in city ``440100`` (广州市),
which lies in province ``440000`` (广东省). One member holds each region and
level; a new ``set_rank`` for it replaces the holder (a member may hold
several regions).

An order is located at its buyer's region (``member.region``: orders carry no
region yet). For each level the order's region lies in, the holder of that
region is paid a rate of the order amount:

* ``mode: fixed`` — each holder its own rate (seed 004: 0.1% / 0.05% / 0.01%);
* ``mode: differential`` (级差) — rates are cumulative (0.1% / 0.2% / 0.3%) and
  a holder gets its rate minus the highest rate already paid below it.

A level without a holder pays nothing (its part stays in the bucket, so
residual). Per order: three dict look-ups, no scan of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from zengzhi.domain.config_fields import ConfigError, mapping, no_unknown, text, unit_ratio
from zengzhi.domain.events import Join, SetRank
from zengzhi.domain.money import Ratio, format_cents, format_ratio
from zengzhi.domain.plans.base import Plan, PlanOf, SettleContext
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanSpec, common
from zengzhi.domain.results import Outcome, Rejection, ResultCode, reject
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Member, State

KIND = "regional"
LEVELS = ("district", "city", "province")  # lowest first: the differential walks upwards
LEVEL_NAMES = {"district": "区代", "city": "市代", "province": "省代"}
MODES = ("fixed", "differential")
CODE_LENGTH = 6


def show_percent(rate: Ratio) -> str:
    """``Ratio(1, 1000)`` -> ``"0.1%"`` (display only, exact up to 4 decimals of a percent)."""
    return format_ratio(Ratio(rate.num * 100, rate.den), 4).rstrip("0").rstrip(".") + "%"


def code_level(code: str) -> str | None:
    """The level of a GB/T 2260 code, or ``None`` when it is not one.

    Province ``PP0000``, city ``PPCC00``, district ``PPCCDD`` (CC, DD not 00).
    Province prefixes run 11-82 and never end in 0.
    """
    if len(code) != CODE_LENGTH or not code.isascii() or not code.isdigit():
        return None
    if code[0] not in "12345678" or code[1] == "0":
        return None
    if code[2:] == "0000":
        return "province"
    if code[2:4] == "00":
        return None  # a district code needs its city digits
    return "city" if code[4:] == "00" else "district"


def enclosing(code: str) -> dict[str, str]:
    """Level -> code of every region that contains ``code`` (itself included)."""
    level = code_level(code)
    if level is None:
        return {}
    out = {"province": code[:2] + "0000"}
    if level != "province":
        out["city"] = code[:4] + "00"
    if level == "district":
        out["district"] = code
    return out


@dataclass(frozen=True, slots=True)
class RegionalSpec(PlanSpec):
    mode: str  # "fixed" or "differential"
    rates: tuple[tuple[str, Ratio], ...]  # (level, rate), lowest level first, configured levels only

    @property
    def kind(self) -> str:
        return KIND

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        del allocation, product
        if self.mode == "differential":  # the holders together never pass the top rate
            return max((price_cents * r.num // r.den for _, r in self.rates), default=0)
        return sum(price_cents * r.num // r.den for _, r in self.rates)

    def build(self) -> Plan:
        return Regional(self)


def parse(data: Mapping[str, object], path: str) -> RegionalSpec:
    no_unknown(data, path, COMMON_FIELDS | {"mode", "rates"})
    name, bucket = common(data, path, KIND, needs_bucket=True)
    mode = text(data.get("mode", "fixed"), f"{path}.mode")
    if mode not in MODES:
        raise ConfigError(f"{path}.mode", "must be 'fixed' (each its own rate) or 'differential' (级差)")
    if "rates" not in data:
        raise ConfigError(f"{path}.rates", 'is required, e.g. {district: "0.1%", city: "0.05%", province: "0.01%"}')
    raw = mapping(data["rates"], f"{path}.rates")
    no_unknown(raw, f"{path}.rates", set(LEVELS))
    if not raw:
        raise ConfigError(f"{path}.rates", "needs at least one of district, city, province")
    rates = tuple((level, unit_ratio(raw[level], f"{path}.rates.{level}")) for level in LEVELS if level in raw)
    if mode == "differential":
        _check_cumulative(rates, f"{path}.rates")
    return RegionalSpec(name, bucket, mode, rates)


def _check_cumulative(rates: tuple[tuple[str, Ratio], ...], path: str) -> None:
    """级差: a higher level's rate includes the lower ones', so it may not be smaller."""
    for (low, low_rate), (high, high_rate) in zip(rates, rates[1:], strict=False):
        if Fraction(*high_rate) < Fraction(*low_rate):
            raise ConfigError(f"{path}.{high}", f"in differential mode must be at least the {low} rate "
                              f"({show_percent(low_rate)}): rates are cumulative")


class Regional(PlanOf[RegionalSpec]):
    handles_ranks = True

    def __init__(self, spec: RegionalSpec) -> None:
        super().__init__(spec)
        self.rates = dict(spec.rates)
        self.holders: dict[tuple[str, str], str] = {}  # (level, code) -> member id
        self.held: dict[str, set[str]] = {}  # member id -> "level:code" it holds (for the view)
        # (rate, rate paid below) -> its text in memos, made once
        self._shown: dict[tuple[Ratio, Ratio | None], str] = {}
        self._enclosing: dict[str, dict[str, str]] = {}  # region code -> enclosing(code), made once

    def check_join(self, state: State, event: Join) -> Rejection | None:
        del state
        if event.region is not None and code_level(event.region) is None:
            return Rejection(ResultCode.INVALID_FIELD, "region",
                             f"{event.region!r} is not a GB/T 2260 six-digit region code (e.g. 440106)")
        return None

    def handle(self, state: State, event: object, at_ms: int) -> Outcome | None:
        del at_ms
        if not isinstance(event, SetRank):
            return None
        if event.rank not in self.rates:
            return reject(ResultCode.INVALID_RANK, "rank",
                          f"plan {self.name!r} has the ranks {', '.join(self.rates)}, not {event.rank!r}")
        region = event.region
        if region is None or code_level(region) != event.rank:
            return reject(ResultCode.INVALID_FIELD, "region",
                          f"a {event.rank} needs a six-digit GB/T 2260 {event.rank} code "
                          f"({_example(event.rank)}), got {region!r}")
        assert event.member in state.members  # plan_events checked it
        former = self.holders.get((event.rank, region))
        if former is not None:  # one holder per region and level: the new one replaces it
            self.held[former].discard(f"{event.rank}:{region}")
        self.holders[(event.rank, region)] = event.member
        self.held.setdefault(event.member, set()).add(f"{event.rank}:{region}")
        return Outcome()

    def on_settle(self, ctx: SettleContext) -> None:
        region = ctx.buyer.region
        if region is None:
            return  # an order without a region pays no agent: residual
        regions = self._enclosing.get(region)
        if regions is None:  # one entry per distinct member region code
            regions = self._enclosing.setdefault(region, enclosing(region))
        base = ctx.order.amount_cents
        taken: Ratio | None = None  # the highest rate paid below (differential)
        for level, rate in self.spec.rates:
            code = regions.get(level)
            holder = None if code is None else self.holders.get((level, code))
            if code is None or holder is None:
                continue
            self._pay(ctx, ctx.state.members[holder], level, code, rate, taken, base)
            if self.spec.mode == "differential":
                taken = rate

    def _pay(self, ctx: SettleContext, holder: Member, level: str, code: str, rate: Ratio,
             taken: Ratio | None, base: int) -> None:
        why = self._shown.get((rate, taken))
        if why is None:
            why = self._shown.setdefault((rate, taken), _why(rate, taken))
        # rate - taken as one exact fraction, in integers (cheaper than Fraction on every order)
        num, den = (rate.num, rate.den) if taken is None else (
            rate.num * taken.den - taken.num * rate.den, rate.den * taken.den)
        ctx.pay(holder, base * num // den, f"{KIND}.{level}",
                f"{LEVEL_NAMES[level]} {level} agent of {code}: {why} of {format_cents(base)}"
                f" on {ctx.buyer.member_id}'s order")

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        held = self.held.get(member.member_id)
        return {self.name: {"regions": sorted(held)}} if held else {}

    def view(self, state: State) -> dict[str, Any]:
        del state
        return {"holders": {f"{level}:{code}": who for (level, code), who in sorted(self.holders.items())}}


def _why(rate: Ratio, taken: Ratio | None) -> str:
    if taken is None or not taken.num:
        return show_percent(rate)
    due = Fraction(*rate) - Fraction(*taken)
    return f"{show_percent(rate)} - {show_percent(taken)} paid below = {show_percent(Ratio.of(due))}"


def _example(level: str) -> str:
    return {"district": "440106", "city": "440100", "province": "440000"}[level]
