"""Request and response models of the platform API (Pydantic v2).

Amounts are exact: money is a decimal string in yuan (``"1000.00"``, at most
2 places) or an integer of **cents** (``100000``); points are a decimal string
(``"210.0000"``, at most 4 places) or an integer of **0.0001 point units**.
A JSON float (``1000.0``) is refused with a 422 naming the field, and so is a
boolean: ``0.1 + 0.2`` is not money.

``XCreate`` models are request bodies; ``XPublic`` models are responses.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)

from zengzhi.domain.config import ConfigError, parse_split
from zengzhi.domain.money import AmountError, format_cents, parse_cents, parse_points
from zengzhi.domain.split import SplitPart, split_error

CENTS_MAX = 10**13  # 100 billion yuan: anything larger is a mistake, not an order
POINT_UNITS_MAX = 10**15
ID_LENGTH_MAX = 128
MEMBER_LENGTH_MAX = 64


def _exact(value: object) -> object:
    """Refuse JSON floats and booleans before any coercion can hide them."""
    if isinstance(value, bool):
        raise ValueError("must be a decimal string or an integer, not a boolean")
    if isinstance(value, float):
        raise ValueError("must be a decimal string (\"1000.00\") or an integer of minor units, "
                         "not a JSON float")
    return value


def money_cents(value: str | int) -> int:
    """A validated money amount in cents: strings are yuan, integers are cents."""
    if isinstance(value, int):
        return value
    return parse_cents(value, "amount")


def point_units(value: str | int) -> int:
    """A validated points amount in 0.0001 units: strings are points, integers are units."""
    if isinstance(value, int):
        return value
    return parse_points(value, "points")


def _check_money(value: str | int) -> str | int:
    try:
        cents = money_cents(value)
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if not 0 < cents <= CENTS_MAX:
        raise ValueError(f"must be positive and at most {format_cents(CENTS_MAX)}")
    return value


def _check_points(value: str | int) -> str | int:
    try:
        units = point_units(value)
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if not 0 < units <= POINT_UNITS_MAX:
        raise ValueError("must be positive and at most 100000000000.0000")
    return value


Money = Annotated[
    str | int, BeforeValidator(_exact), AfterValidator(_check_money),
    Field(description='Money: a decimal string in yuan ("1000.00") or an integer of cents (100000). '
                      "Never a JSON float.", examples=["1000.00", 100000]),
]
Points = Annotated[
    str | int, BeforeValidator(_exact), AfterValidator(_check_points),
    Field(description='Points: a decimal string ("210.0000") or an integer of 0.0001 point units '
                      "(2100000). Never a JSON float.", examples=["210.0000", 2100000]),
]
SplitValue = Annotated[str | int, BeforeValidator(_exact)]
Split = Annotated[
    dict[str, SplitValue],
    Field(description='Bucket -> money ("300.00" or cents as an integer) or percent ("30%"); '
                      "the parts must sum to the amount; the `pool` bucket feeds the pool.",
          examples=[{"cost": "300.00", "distribution": "300.00", "platform": "100.00", "pool": "300.00"}]),
]
OrderId = Annotated[str, Field(min_length=1, max_length=ID_LENGTH_MAX, examples=["o-1001"])]
MemberId = Annotated[str, Field(min_length=1, max_length=MEMBER_LENGTH_MAX, pattern=r"^[^:]+$",
                                examples=["alice"])]


def split_parts(split: dict[str, str | int]) -> tuple[SplitPart, ...]:
    """Inline split -> domain split parts (integers are cents)."""
    text = {bucket: format_cents(v) if isinstance(v, int) else v for bucket, v in split.items()}
    return parse_split(text, "split")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _OrderContent(_Body):
    """A product, or an amount with an inline split (checked here, before the engine)."""

    product: str | None = Field(default=None, min_length=1, max_length=ID_LENGTH_MAX,
                                examples=["pack1000"])
    amount: Money | None = None
    split: Split | None = None

    @model_validator(mode="after")
    def _product_or_split(self) -> Any:
        if self.product is not None:
            if self.amount is not None or self.split is not None:
                raise ValueError("give a product, or an amount with a split, not both")
        elif self.amount is not None or self.split is not None:
            if self.amount is None or self.split is None:
                raise ValueError("an inline order needs both amount and split")
        return self

    @field_validator("split")
    @classmethod
    def _split_sums_to_amount(cls, split: dict[str, str | int] | None, info: ValidationInfo) -> Any:
        if split is None:
            return split
        try:
            parts = split_parts(split)
        except (ConfigError, AmountError) as exc:
            raise ValueError(str(exc).removeprefix("split: ")) from None
        amount = info.data.get("amount")
        if amount is not None:  # None: absent, or already reported as invalid
            error = split_error(money_cents(amount), parts)
            if error:
                raise ValueError(error)
        return split

    def has_content(self) -> bool:
        return self.product is not None or self.amount is not None


# -- REST requests ----------------------------------------------------------------


class MemberCreate(_Body):
    member: MemberId
    sponsor: MemberId | None = None
    region: str | None = Field(default=None, min_length=1, max_length=ID_LENGTH_MAX)


class OrderCreate(_OrderContent):
    id: OrderId
    member: MemberId
    settle: StrictBool = Field(default=True, description="true (default): paid and settled at once; "
                                                         "false: paid, settled later by /settle")

    @model_validator(mode="after")
    def _needs_content(self) -> Any:
        if not self.has_content():
            raise ValueError("an order needs a product, or an amount and a split")
        return self


class PointsCreate(_Body):
    member: MemberId
    points: Points


class WithdrawalCreate(_Body):
    id: OrderId
    member: MemberId
    amount: Money


class RankSet(_Body):
    rank: str = Field(min_length=1, max_length=ID_LENGTH_MAX, examples=["v3"],
                      description="a rank the plan defines: v3, agent, a dividend class 董事, district/city/province")
    plan: str | None = Field(default=None, min_length=1, max_length=ID_LENGTH_MAX,
                             description="the plan's name; may be left out when one plan has ranks")
    region: str | None = Field(default=None, min_length=1, max_length=ID_LENGTH_MAX,
                               description="regional agents: the region code (440106, 440100, 440000)")


class PeriodClose(_Body):
    plan: str | None = Field(default=None, min_length=1, max_length=ID_LENGTH_MAX,
                             description="the dividend plan to close; every dividend plan if left out")


class SubsidyCreate(_Body):
    amount: Money
    note: str | None = Field(default=None, max_length=500, description="kept in the audit log")


# -- webhook payloads ----------------------------------------------------------------

WebhookType = Literal["order.paid", "order.settled", "order.refunded", "member.joined"]


class WebhookEnvelope(_Body):
    id: Annotated[str, Field(min_length=1, max_length=ID_LENGTH_MAX, pattern=r"^[A-Za-z0-9._~+/=-]+$",
                             description="delivery id: the idempotency key of this delivery")]
    type: WebhookType
    data: dict[str, Any]


class OrderPaidData(_OrderContent):
    order_id: OrderId
    member: MemberId
    settle: StrictBool = False

    @model_validator(mode="after")
    def _needs_content(self) -> Any:
        if not self.has_content():
            raise ValueError("an order needs a product, or an amount and a split")
        return self


class OrderSettledData(_OrderContent):
    """``{"order_id"}``; with ``member`` and the content, an order paid and settled at once."""

    order_id: OrderId
    member: MemberId | None = None

    @model_validator(mode="after")
    def _member_with_content(self) -> Any:
        if (self.member is None) != (not self.has_content()):
            raise ValueError("give member together with product (or amount and split), or neither")
        return self


class OrderRefundedData(_Body):
    order_id: OrderId


class MemberJoinedData(MemberCreate):
    pass


# -- responses ------------------------------------------------------------------------


class ProblemPublic(BaseModel):
    """Every error of the platform API."""

    code: str = Field(examples=["unknown_member"])
    field: str = Field(examples=["member"])
    reason: str = Field(examples=["unknown member 'zed'"])
    seq: int | None = Field(default=None, description="the logged event, for a domain rejection")


class PostingPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_account: str = Field(alias="from")
    to_account: str = Field(alias="to")
    asset: Literal["CNY", "PTS"] | str
    amount: str
    rule: str
    order_id: str | None = None
    plan: str | None = Field(default=None, description="the reward plan that made this posting")
    memo: str | None = Field(default=None, description="why the plan paid this payee this amount")


class EventPublic(BaseModel):
    """What an accepted command did (the same body for a replayed idempotency key)."""

    seq: int
    accepted: bool = True
    duplicate: bool = Field(description="an order or withdrawal already known with this content: "
                                        "nothing happened again")
    postings: list[PostingPublic]
    exits: list[str] = Field(description="members that exited (出局) because of this event")


class WebhookPublic(BaseModel):
    seq: int
    accepted: bool
    rejection: ProblemPublic | None = None
    duplicate: bool = False
    exits: list[str] = []


class PoolPublic(BaseModel):
    money: str = Field(examples=["900.00"])
    points: str = Field(examples=["481.9500"])
    price: str = Field(examples=["1.8674"], description="money per point, rounded half-up to 4 places")
    exits: int
    members: int


class PricePointPublic(BaseModel):
    seq: int
    at_ms: int
    price: str
    money: str
    points: str


class PoolHistoryPublic(BaseModel):
    initial_price: str
    items: list[PricePointPublic]


class MemberPublic(BaseModel):
    member: str
    sponsor: str | None
    points: str
    value: str = Field(description="the points at the current price, floored to the cent")
    cash: str
    frozen: str
    pending: str
    withdrawing: str
    exits: int
    cycle_spent: str = Field(description="spent in the active cycle (0.00 without one)")
    cycle_points: str = Field(description="points granted in the active cycle")
    plans: dict[str, Any] = Field(default_factory=dict,
                                  description="what the tenant's reward plans keep about the member (rank, quota …)")


class StatementEntryPublic(BaseModel):
    seq: int
    at_ms: int
    rule: str
    order_id: str | None
    account: str = Field(description="the member's account: cash, frozen, pending, withdrawing or points")
    asset: str
    amount: str = Field(description="signed: positive into the member's account, negative out of it")
    counterparty: str


class StatementPublic(BaseModel):
    member: str
    items: list[StatementEntryPublic]
    next_after_seq: int | None = Field(description="pass as after_seq for the next page; null at the end")


class OrderPostingPublic(PostingPublic):
    seq: int
    explanation: str


class OrderPostingsPublic(BaseModel):
    order_id: str
    postings: list[OrderPostingPublic]
