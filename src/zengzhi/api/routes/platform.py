"""REST endpoints for platforms: ``/v1/...``, Bearer API key, tenant-free URLs.

The API key decides the tenant, so no request can name another tenant. Each
POST takes an ``Idempotency-Key`` and becomes exactly one command; handlers
only parse, submit and render (``zengzhi.api.context``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from zengzhi.api.context import Api, Caller, api_of, caller, idempotency_key, posting_json, render
from zengzhi.api.problems import ApiError
from zengzhi.api.readmodel import explain, show_amount, show_price
from zengzhi.api.schemas import (
    ID_LENGTH_MAX,
    MEMBER_LENGTH_MAX,
    EventPublic,
    MemberCreate,
    MemberPublic,
    OrderCreate,
    OrderPostingsPublic,
    PeriodClose,
    PointsCreate,
    PoolHistoryPublic,
    PoolPublic,
    ProblemPublic,
    RankSet,
    StatementPublic,
    SubsidyCreate,
    WithdrawalCreate,
    money_cents,
    point_units,
    split_parts,
)
from zengzhi.domain import events as ev
from zengzhi.domain.money import format_cents, format_points
from zengzhi.domain.state import State

HISTORY_LIMIT_MAX = 1000
STATEMENT_LIMIT_MAX = 500

router = APIRouter(prefix="/v1", tags=["platform"])

ApiDep = Annotated[Api, Depends(api_of)]
CallerDep = Annotated[Caller, Depends(caller)]
KeyDep = Annotated[str, Depends(idempotency_key)]
OrderIdPath = Annotated[str, Path(min_length=1, max_length=ID_LENGTH_MAX)]
MemberIdPath = Annotated[str, Path(min_length=1, max_length=MEMBER_LENGTH_MAX)]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ProblemPublic, "description": "missing or malformed Idempotency-Key"},
    401: {"model": ProblemPublic, "description": "missing, unknown or revoked API key"},
    409: {"model": ProblemPublic, "description": "the Idempotency-Key was used for another request"},
    413: {"model": ProblemPublic, "description": "the body is over the size limit"},
    422: {"model": ProblemPublic, "description": "invalid field (a JSON float amount …) or a domain rejection"},
}
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: ERRORS[401],
    404: {"model": ProblemPublic, "description": "no such member or order"},
    422: {"model": ProblemPublic, "description": "invalid query parameter"},
}


def _key(key: str) -> str:
    return "api:" + key


async def _post(api: Api, who: Caller, key: str, event: ev.Event, status: int = 200) -> JSONResponse:
    return render(await api.submit(who.tenant, _key(key), event), status)


@router.post("/members", status_code=201, response_model=EventPublic, responses=ERRORS,
             summary="A member joins (入会)")
async def create_member(body: MemberCreate, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.Join(body.member, body.sponsor, body.region), 201)


@router.post("/orders", status_code=201, response_model=EventPublic, responses=ERRORS,
             summary="An order is paid (and settled unless settle is false)")
async def create_order(body: OrderCreate, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    if body.product is not None:
        event = ev.PayOrder(body.id, body.member, product=body.product, settle=body.settle)
    else:
        assert body.amount is not None and body.split is not None
        event = ev.PayOrder(body.id, body.member, amount_cents=money_cents(body.amount),
                            split=split_parts(body.split), settle=body.settle)
    return await _post(api, who, key, event, 201)


@router.post("/orders/{order_id}/settle", response_model=EventPublic, responses=ERRORS,
             summary="Settle a paid order (结算): split it, feed the pool, grant points")
async def settle_order(order_id: OrderIdPath, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.SettleOrder(order_id))


@router.post("/orders/{order_id}/refund", response_model=EventPublic, responses=ERRORS,
             summary="Refund a paid, unsettled order")
async def refund_order(order_id: OrderIdPath, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.RefundOrder(order_id))


@router.post("/sells", response_model=EventPublic, responses=ERRORS,
             summary="A member sells points (卖出); the payout goes to its cash")
async def sell(body: PointsCreate, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.Sell(body.member, point_units(body.points)))


@router.post("/redemptions", response_model=EventPublic, responses=ERRORS,
             summary="A member redeems points for goods (积分兑换); the payout goes to the merchant")
async def redeem(body: PointsCreate, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.Redeem(body.member, point_units(body.points)))


@router.post("/withdrawals", status_code=201, response_model=EventPublic, responses=ERRORS,
             summary="A member asks to withdraw cash (提现): the amount goes in flight")
async def create_withdrawal(body: WithdrawalCreate, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.Withdraw(body.id, body.member, money_cents(body.amount)), 201)


@router.post("/withdrawals/{withdrawal_id}/approve", response_model=EventPublic, responses=ERRORS,
             summary="Approve a requested withdrawal (审核通过)")
async def approve_withdrawal(withdrawal_id: OrderIdPath, api: ApiDep, who: CallerDep,
                             key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.WithdrawApprove(withdrawal_id))


@router.post("/withdrawals/{withdrawal_id}/complete", response_model=EventPublic, responses=ERRORS,
             summary="The bank paid the withdrawal")
async def complete_withdrawal(withdrawal_id: OrderIdPath, api: ApiDep, who: CallerDep,
                              key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.WithdrawDone(withdrawal_id))


@router.post("/withdrawals/{withdrawal_id}/fail", response_model=EventPublic, responses=ERRORS,
             summary="The withdrawal failed or was refused: the amount returns to cash")
async def fail_withdrawal(withdrawal_id: OrderIdPath, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.WithdrawFail(withdrawal_id))


@router.post("/members/{member_id}/rank", response_model=EventPublic, responses=ERRORS,
             summary="Set a member's rank in a plan (设置等级: 级差 rank, dividend class, regional agency)")
async def set_rank(member_id: MemberIdPath, body: RankSet, api: ApiDep, who: CallerDep,
                   key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.SetRank(member_id, body.rank, body.plan, body.region))


@router.post("/periods/close", response_model=EventPublic, responses=ERRORS,
             summary="Close a dividend period (分红结算): the dividend pool is shared out")
async def close_period(body: PeriodClose, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.ClosePeriod(body.plan))


@router.post("/ticks", response_model=EventPublic, responses=ERRORS,
             summary="Run the time-driven rules now (定时任务: help-fund release, 点位轮值)")
async def tick(api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    return await _post(api, who, key, ev.Tick())


@router.post("/subsidies", response_model=EventPublic, responses=ERRORS,
             summary="Inject a subsidy into the pool (注资); audited")
async def create_subsidy(body: SubsidyCreate, api: ApiDep, who: CallerDep, key: KeyDep) -> JSONResponse:
    cents = money_cents(body.amount)
    receipt = await api.submit(who.tenant, _key(key), ev.Inject(cents))
    if receipt.outcome.accepted and not receipt.replayed and not receipt.conflict:
        await run_in_threadpool(api.access.audit, who.tenant, f"api:{who.key_id}", "subsidy",
                                {"amount": format_cents(cents), "seq": receipt.seq, "idempotency_key": key,
                                 "note": body.note})
    return render(receipt, 200)


# -- reads ---------------------------------------------------------------------------


def _pool(state: State) -> dict[str, Any]:
    pool = state.pool
    return {"money": format_cents(pool.money_cents), "points": format_points(pool.points_units),
            "price": show_price(pool.price()), "exits": state.exits_total, "members": len(state.members)}


@router.get("/pool", response_model=PoolPublic, responses=READ_ERRORS, summary="The pool: money, points, price")
async def get_pool(api: ApiDep, who: CallerDep) -> dict[str, Any]:
    return await api.read(who.tenant, _pool)


@router.get("/pool/history", response_model=PoolHistoryPublic, responses=READ_ERRORS,
            summary="The price after each accepted event that changed the pool")
async def get_pool_history(
    api: ApiDep, who: CallerDep,
    limit: Annotated[int, Query(ge=1, le=HISTORY_LIMIT_MAX)] = 100,
    after_seq: Annotated[int | None, Query(ge=0, description="omit for the latest `limit` points")] = None,
) -> dict[str, Any]:
    view = await api.log_view(who.tenant)
    items = [{"seq": p.seq, "at_ms": p.at_ms, "price": show_price(p.price),
              "money": format_cents(p.money_cents), "points": format_points(p.points_units)}
             for p in view.history_page(limit, after_seq)]
    return {"initial_price": show_price(view.initial_price), "items": items}


def _member(member_id: str) -> Any:
    def query(state: State) -> dict[str, Any] | None:
        member = state.members.get(member_id)
        if member is None:
            return None
        balances = state.ledger.balances
        units = balances.get(member.points, 0)
        price = state.pool.price()
        return {
            "member": member_id, "sponsor": member.sponsor,
            "points": format_points(units), "value": format_cents(units * price.num // price.den),
            "cash": format_cents(balances.get(member.cash, 0)),
            "frozen": format_cents(balances.get(member.frozen, 0)),
            "pending": format_cents(balances.get(member.pending, 0)),
            "withdrawing": format_cents(balances.get(member.withdrawing, 0)),
            "exits": member.exits,
            "cycle_spent": format_cents(member.spent_cents if member.cycle_active else 0),
            "cycle_points": format_points(member.cycle_units if member.cycle_active else 0),
            "plans": {k: v for plan in state.plans for k, v in plan.member_view(state, member).items()},
        }
    return query


def _no_member(member_id: str) -> ApiError:
    return ApiError(404, "unknown_member", "member", f"unknown member {member_id!r}")


@router.get("/members/{member_id}", response_model=MemberPublic, responses=READ_ERRORS,
            summary="A member's balances")
async def get_member(member_id: MemberIdPath, api: ApiDep, who: CallerDep) -> dict[str, Any]:
    view: dict[str, Any] | None = await api.read(who.tenant, _member(member_id))
    if view is None:
        raise _no_member(member_id)
    return view


@router.get("/members/{member_id}/statement", response_model=StatementPublic, responses=READ_ERRORS,
            summary="The postings on a member's accounts, oldest first")
async def get_statement(
    member_id: MemberIdPath, api: ApiDep, who: CallerDep,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=STATEMENT_LIMIT_MAX)] = 100,
) -> dict[str, Any]:
    if not await api.read(who.tenant, lambda s: member_id in s.members):
        raise _no_member(member_id)
    view = await api.log_view(who.tenant)
    entries, next_after = view.statement(member_id, after_seq, limit)
    prefix = f"member:{member_id}:"
    items = []
    for e in entries:
        p = e.posting
        incoming = e.account == p.to_account
        mine, other = (p.to_account, p.from_account) if incoming else (p.from_account, p.to_account)
        amount = show_amount(p)
        items.append({"seq": e.seq, "at_ms": e.at_ms, "rule": p.rule, "order_id": p.order_id or None,
                      "account": mine.removeprefix(prefix), "asset": p.asset,
                      "amount": amount if incoming else "-" + amount, "counterparty": other})
    return {"member": member_id, "items": items, "next_after_seq": next_after}


@router.get("/postings", response_model=OrderPostingsPublic, responses=READ_ERRORS,
            summary="The postings of one order, each explained in one line")
async def get_postings(
    api: ApiDep, who: CallerDep,
    order_id: Annotated[str, Query(min_length=1, max_length=ID_LENGTH_MAX)],
) -> dict[str, Any]:
    view = await api.log_view(who.tenant)
    entries = view.order(order_id)
    if entries is None:
        raise ApiError(404, "unknown_order", "order_id", f"no postings for order {order_id!r}")
    return {"order_id": order_id,
            "postings": [{**posting_json(e.posting), "seq": e.seq,
                          "explanation": explain(e.posting, e.price_before)} for e in entries]}
