"""Baseline for ``zengzhi bench server``: the conventional one-transaction-per-order server.

    .venv/bin/python bench/server_baseline.py --db sqlite:///baseline.db --port 8001
    (webhook secret in $ZENGZHI_BASELINE_WEBHOOK_SECRET)

A deliberately ordinary FastAPI app with the same signed webhook contract as
zengzhi (``POST /v1/webhooks/{tenant}``, ``X-Zengzhi-Timestamp``,
``X-Zengzhi-Signature: v1=<hex HMAC-SHA256(secret, "<ts>.<body>")>``, a body
``{"id", "type", "data"}``). Each request checks the signature, then opens one
database transaction in the thread pool: on PostgreSQL it locks the pool row with ``SELECT
... FOR UPDATE``, on SQLite it starts with ``BEGIN IMMEDIATE`` (the database
write lock); it checks the delivery id (idempotency), updates the pool's
money and points and the member's points with exact integer math, inserts
the order, its five postings and the delivery, and commits. So orders are
serialized by the database's locks, one commit each.

It does less than zengzhi per order: one fixed product (the 1000 pack with
a 300.00 pool share), no exit heap and no forced exits, no event log or
canonical fingerprints, the webhook secret held in memory.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import time
from typing import Any

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url

SECRET_ENV = "ZENGZHI_BASELINE_WEBHOOK_SECRET"
TOLERANCE_S = 300
# the 1000 pack: split in cents; the pool's share buys points at 70% of its value
SPLIT = (("cost", 30_000), ("distribution", 30_000), ("platform", 10_000), ("pool", 30_000))
POOL_SHARE_CENTS = 30_000
GRANT_VALUE_CENTS = POOL_SHARE_CENTS * 70 // 100
INITIAL_PRICE = (100, 10_000)  # 1.00 yuan a point: 100 cents per 10,000 point units

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS bl_pool (id INTEGER PRIMARY KEY, money_cents BIGINT NOT NULL, "
    "points_units BIGINT NOT NULL, orders BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bl_members (id VARCHAR(64) PRIMARY KEY, points_units BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bl_orders (order_id VARCHAR(128) PRIMARY KEY, member VARCHAR(64) NOT NULL, "
    "seq BIGINT NOT NULL, points_units BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bl_postings (order_id VARCHAR(128) NOT NULL, idx INTEGER NOT NULL, "
    "from_account VARCHAR(128) NOT NULL, to_account VARCHAR(128) NOT NULL, asset VARCHAR(8) NOT NULL, "
    "amount BIGINT NOT NULL, rule VARCHAR(64) NOT NULL, PRIMARY KEY (order_id, idx))",
    "CREATE TABLE IF NOT EXISTS bl_deliveries (id VARCHAR(128) PRIMARY KEY, response TEXT NOT NULL)",
)


def open_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_size=20, max_overflow=20)
    engine = create_engine(url, pool_size=20, max_overflow=20)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let BEGIN IMMEDIATE below start transactions
        cursor = dbapi_connection.cursor()
        for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000"):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        for statement in SCHEMA:
            conn.execute(text(statement))
        if conn.execute(text("SELECT count(*) FROM bl_pool")).scalar() == 0:
            conn.execute(text("INSERT INTO bl_pool VALUES (1, 0, 0, 0)"))


def verify(secret: bytes, timestamp: str, signature: str, body: bytes) -> None:
    try:
        ts = int(timestamp)
    except ValueError:
        raise HTTPException(401, "bad timestamp") from None
    if abs(time.time() - ts) > TOLERANCE_S:
        raise HTTPException(401, "stale timestamp")
    expected = "v1=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise HTTPException(401, "bad signature")


def pay_order(conn: Connection, postgres: bool, order_id: str, member: str) -> dict[str, Any]:
    lock = " FOR UPDATE" if postgres else ""
    money, points, orders = conn.execute(
        text(f"SELECT money_cents, points_units, orders FROM bl_pool WHERE id = 1{lock}")).one()
    if points > 0:
        grant = GRANT_VALUE_CENTS * points // money
    else:
        grant = GRANT_VALUE_CENTS * INITIAL_PRICE[1] // INITIAL_PRICE[0]
    updated = conn.execute(text("UPDATE bl_members SET points_units = points_units + :g WHERE id = :m"),
                           {"g": grant, "m": member}).rowcount
    if updated != 1:
        return {"accepted": False, "rejection": "UNKNOWN_MEMBER"}
    if conn.execute(text("SELECT 1 FROM bl_orders WHERE order_id = :o"), {"o": order_id}).first():
        return {"accepted": True, "duplicate": True}
    seq = orders + 1
    conn.execute(text("INSERT INTO bl_orders VALUES (:o, :m, :s, :g)"),
                 {"o": order_id, "m": member, "s": seq, "g": grant})
    rows = [{"o": order_id, "i": i, "f": "external:payments", "t": bucket, "a": "CNY", "n": cents,
             "r": f"split.{bucket}"} for i, (bucket, cents) in enumerate(SPLIT)]
    rows.append({"o": order_id, "i": len(SPLIT), "f": "external:points", "t": f"member:{member}:points",
                 "a": "PTS", "n": grant, "r": "pool.grant"})
    conn.execute(text("INSERT INTO bl_postings VALUES (:o, :i, :f, :t, :a, :n, :r)"), rows)
    conn.execute(text("UPDATE bl_pool SET money_cents = :p, points_units = :n, orders = :s WHERE id = 1"),
                 {"p": money + POOL_SHARE_CENTS, "n": points + grant, "s": seq})
    return {"seq": seq, "accepted": True, "points": grant}


def create_app(db_url: str, secret: str) -> FastAPI:
    engine = open_engine(db_url)
    create_schema(engine)
    postgres = engine.dialect.name == "postgresql"
    key = secret.encode()
    app = FastAPI(title="baseline")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/pool")
    def pool() -> dict[str, int]:
        with engine.connect() as conn:
            money, points, orders = conn.execute(
                text("SELECT money_cents, points_units, orders FROM bl_pool WHERE id = 1")).one()
        return {"money_cents": money, "points_units": points, "orders": orders}

    @app.post("/v1/webhooks/{tenant}")
    async def webhook(tenant: str, request: Request) -> dict[str, Any]:
        del tenant
        body = await request.body()
        verify(key, request.headers.get("x-zengzhi-timestamp", ""),
               request.headers.get("x-zengzhi-signature", ""), body)
        payload = json.loads(body)
        return await run_in_threadpool(handle, str(payload["id"]), payload["type"], payload["data"])

    def handle(delivery: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """One transaction per delivery, in a worker thread."""
        with engine.begin() as conn:
            seen = conn.execute(text("SELECT response FROM bl_deliveries WHERE id = :d"),
                                {"d": delivery}).scalar()
            if seen is not None:
                return {**json.loads(seen), "replayed": True}
            if kind == "order.paid":
                result = pay_order(conn, postgres, str(data["order_id"]), str(data["member"]))
            elif kind == "member.joined":
                member = str(data["member"])
                if conn.execute(text("SELECT 1 FROM bl_members WHERE id = :m"), {"m": member}).first():
                    result = {"accepted": False, "rejection": "MEMBER_EXISTS"}
                else:
                    conn.execute(text("INSERT INTO bl_members VALUES (:m, 0)"), {"m": member})
                    result = {"accepted": True}
            else:
                raise HTTPException(422, f"unknown event type {kind!r}")
            conn.execute(text("INSERT INTO bl_deliveries VALUES (:d, :r)"),
                         {"d": delivery, "r": json.dumps(result)})
        return {**result, "replayed": False}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, help="SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://...)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    app = create_app(args.db, os.environ[SECRET_ENV])
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")  # as `zengzhi serve` does


if __name__ == "__main__":
    main()
