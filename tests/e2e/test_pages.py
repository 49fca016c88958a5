"""End to end: the admin and member pages on the demo tenant (real app, SQLite file).

Expected numbers come from the engine's own state (``pool_view`` and the
ledger), read through the hub, so the pages are checked against the exact
values, not hardcoded ones.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from zengzhi.admin import i18n
from zengzhi.bootstrap import build_app
from zengzhi.config import Settings
from zengzhi.domain import events as ev
from zengzhi.domain.ledger import EXTERNAL_WITHDRAWALS
from zengzhi.domain.money import format_cents, format_points
from zengzhi.engine.engine import Command
from zengzhi.engine.hub import TenantHub
from zengzhi.engine.queries import pool_view

with warnings.catch_warnings():
    # starlette 1.x prefers the httpx2 package for its TestClient and warns once, on import,
    # when only httpx is installed; either works for these tests
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
FLASH_RE = re.compile(r'<div class="flash (ok|error)"[^>]*>(.*?)</div>', re.S)
REFERRALS_ALICE_CENTS = 25_000  # the demo's referral plan: alice's commissions on her downline's packs
REFERRALS_CENTS = 35_000  # alice 250.00 + bob 100.00
ADMIN_PAGES = ("/admin/demo/", "/admin/demo/members", "/admin/demo/members/alice", "/admin/demo/orders",
               "/admin/demo/withdrawals", "/admin/demo/config", "/admin/demo/audit")


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return build_app(Settings(db_url=f"sqlite:///{tmp_path / 'z.db'}", secret_key="test"), demo=True)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def hub_of(app: FastAPI) -> TenantHub:
    hub: TenantHub = app.state.hub
    return hub


def csrf_of(client: TestClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.text
    found = CSRF_RE.search(response.text)
    assert found is not None, f"no CSRF field on {url}"
    return found.group(1)


def login(client: TestClient, area: str, username: str, password: str, tenant: str = "demo") -> Any:
    token = csrf_of(client, f"/{area}/{tenant}/login")
    return client.post(f"/{area}/{tenant}/login",
                       data={"csrf": token, "username": username, "password": password})


def flash_of(html: str) -> tuple[str, str]:
    found = FLASH_RE.search(html)
    assert found is not None, "no message on the page"
    return found.group(1), found.group(2)


def points_of(app: FastAPI, member: str, tenant: str = "demo") -> int:
    return hub_of(app).read(tenant, lambda s: s.ledger.balances.get(f"member:{member}:points", 0))


def audit_actions(app: FastAPI, tenant: str = "demo") -> list[tuple[str, str, dict[str, Any]]]:
    return [(e.actor, e.action, e.detail) for e in app.state.access.audit_entries(tenant)]


# -- sign-in -------------------------------------------------------------------------------


def test_login_page_renders_in_the_default_language(client: TestClient) -> None:
    response = client.get("/admin/demo/login")
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.text
    assert "用户名" in response.text and "密码" in response.text
    assert response.headers["x-frame-options"] == "DENY"


def test_bad_login_is_refused_and_audited(app: FastAPI, client: TestClient) -> None:
    response = login(client, "admin", "admin", "wrong")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert client.get("/admin/demo/", follow_redirects=False).status_code == 303
    assert ("admin", "login.failed", {"area": "admin"}) in audit_actions(app)


def test_good_login_opens_the_dashboard_and_is_audited(app: FastAPI, client: TestClient) -> None:
    response = login(client, "admin", "admin", "admin")
    assert response.status_code == 200
    assert str(response.url).endswith("/admin/demo/")
    assert "盈利池资金" in response.text
    assert ("admin", "login", {"role": "admin"}) in audit_actions(app)


def test_member_login_goes_to_the_member_page(client: TestClient) -> None:
    response = login(client, "member", "alice", "alice")
    assert str(response.url).endswith("/member/demo/")
    assert "零钱" in response.text and 'id="member-id">alice<' in response.text


def test_login_to_an_unknown_tenant_is_404(client: TestClient) -> None:
    assert client.get("/admin/nope/login").status_code == 404


def test_logout_ends_the_session(app: FastAPI, client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    token = csrf_of(client, "/admin/demo/")
    response = client.post("/admin/demo/logout", data={"csrf": token})
    assert str(response.url).endswith("/admin/demo/login")
    first = client.get("/admin/demo/", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/admin/demo/login"
    assert ("admin", "logout", {}) in audit_actions(app)


def test_login_without_csrf_is_403(client: TestClient) -> None:
    client.get("/admin/demo/login")
    response = client.post("/admin/demo/login", data={"username": "admin", "password": "admin"})
    assert response.status_code == 403
    assert client.get("/admin/demo/", follow_redirects=False).status_code == 303


# -- admin pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "labels"), [
    ("zh-CN", ["盈利池资金", "增值积分", "积分价格", "出局次数", "积分价格只涨不跌", "注资"]),
    ("en", ["Pool money", "Appreciation points", "Point price", "Forced exits", "The point price never falls",
            "Subsidy"]),
])
def test_dashboard_shows_the_exact_pool_in_both_languages(app: FastAPI, client: TestClient, lang: str,
                                                          labels: list[str]) -> None:
    login(client, "admin", "admin", "admin")
    response = client.get(f"/admin/demo/?lang={lang}")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    for label in labels:
        assert label in response.text
    pool = hub_of(app).read("demo", pool_view)
    assert f'id="pool-money">¥{pool["money"]}<' in response.text
    assert f'id="pool-points">{pool["points"]}<' in response.text
    assert f'id="price">¥{pool["price"]}<' in response.text
    # payouts so far: bob's sale and the referral plan's commissions, all in members' cash
    cash = hub_of(app).read("demo", lambda s: sum(v for a, v in s.ledger.balances.items()
                                                  if a.startswith("member:") and a.endswith(":cash")))
    assert cash > REFERRALS_CENTS
    assert f'id="payouts">¥{format_cents(cash)}<' in response.text
    assert 'id="exits">0<' in response.text
    assert 'id="members-count">4<' in response.text
    # the chart's data ends at the current price
    assert f'"{pool["price"]}"]]</script>' in response.text
    # never a promise of gains
    for claim in ("guaranteed return", "保本", "稳赚", "保证收益"):
        assert claim not in response.text


def test_demo_pool_is_what_the_seed_says(app: FastAPI) -> None:
    # four 1000 packs put 300.00 each into the pool; bob sold 40 points at 80%
    pool = hub_of(app).read("demo", lambda s: s.pool)
    balances = hub_of(app).read("demo", lambda s: dict(s.ledger.balances))
    # 直推 10% / 间推 5%: alice 100 (bob) + 100 (carol) + 50 (dave), bob 100 (dave)
    assert balances["member:alice:cash"] == 25_000
    bob_sale = balances["member:bob:cash"] - 10_000
    assert bob_sale > 0
    assert pool.money_cents == 4 * 30_000 - bob_sale


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_every_admin_page_renders(client: TestClient, url: str, lang: str) -> None:
    login(client, "admin", "admin", "admin")
    response = client.get(f"{url}?lang={lang}")
    assert response.status_code == 200, response.text
    assert f'<html lang="{lang}">' in response.text
    nav = ("会员", "订单", "提现审核", "操作日志") if lang == "zh-CN" else ("Members", "Orders", "Withdrawals",
                                                                        "Audit log")
    for label in nav:
        assert label in response.text


def test_language_is_remembered_in_the_session(client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    assert "Members" in client.get("/admin/demo/members?lang=en").text
    again = client.get("/admin/demo/orders")
    assert '<html lang="en">' in again.text and "Orders" in again.text
    assert '<html lang="zh-CN">' in client.get("/admin/demo/orders?lang=zh-CN").text


def test_member_search(client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    page = client.get("/admin/demo/members?q=car").text
    assert "/admin/demo/members/carol" in page
    assert "/admin/demo/members/dave" not in page
    everyone = client.get("/admin/demo/members").text
    for member in ("alice", "bob", "carol", "dave"):
        assert f"/admin/demo/members/{member}\"" in everyone
    assert "没有找到" in client.get("/admin/demo/members?q=zzz").text


def test_member_detail_has_balances_tree_and_statement(app: FastAPI, client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    page = client.get("/admin/demo/members/alice?lang=en").text
    alice_points = points_of(app, "alice")
    assert f'id="b-points">{format_points(alice_points)}<' in page
    tree = page[page.index('id="downline"'):page.index("</ul>\n</li>\n</ul>") + 20]
    # alice -> bob -> dave, alice -> carol
    assert re.search(r"members/bob\">bob</a>\s*<ul>\s*<li><a href=\"/admin/demo/members/dave\">dave", tree)
    assert "members/carol\">carol</a>" in tree
    assert "points granted" in page and f"+{format_points(alice_points)}" in page
    bob = client.get("/admin/demo/members/bob?lang=en").text
    assert "points sold" in bob and "sale payout" in bob
    assert 'href="/admin/demo/members/alice">alice</a>' in bob  # the sponsor
    assert client.get("/admin/demo/members/nobody").status_code == 404


def test_orders_list_and_status_filter(client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    page = client.get("/admin/demo/orders?lang=en").text
    for order in ("demo-o1", "demo-o2", "demo-o3", "demo-o4", "demo-o5"):
        assert f"<td>{order}</td>" in page
    assert "¥1000.00" in page
    paid = client.get("/admin/demo/orders?status=paid&lang=en").text
    assert "<td>demo-o5</td>" in paid and "<td>demo-o1</td>" not in paid
    assert "badge paid\">paid<" in paid


def test_config_is_shown_read_only(client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    page = client.get("/admin/demo/config").text
    assert "initial_price" in page and "pack1000" in page
    assert "<form method=\"post\" action=\"/admin/demo/config" not in page


def test_subsidy_raises_the_pool_and_is_audited(app: FastAPI, client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    before = hub_of(app).read("demo", lambda s: s.pool.money_cents)
    token = csrf_of(client, "/admin/demo/")
    response = client.post("/admin/demo/subsidy", data={"csrf": token, "amount": "100.00"})
    assert flash_of(response.text) == ("ok", "已向盈利池注资 100.00 元。")
    assert hub_of(app).read("demo", lambda s: s.pool.money_cents) == before + 10_000
    assert any((actor, action, detail["amount"]) == ("admin", "subsidy", "100.00")
               for actor, action, detail in audit_actions(app) if action == "subsidy")
    bad = client.post("/admin/demo/subsidy", data={"csrf": token, "amount": "1.234"})
    assert flash_of(bad.text)[0] == "error"
    assert hub_of(app).read("demo", lambda s: s.pool.money_cents) == before + 10_000


# -- access control ------------------------------------------------------------------------------


def test_pages_need_a_session(client: TestClient) -> None:
    for url in ADMIN_PAGES:
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/admin/demo/login"
    response = client.get("/member/demo/", follow_redirects=False)
    assert response.headers["location"] == "/member/demo/login"


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_a_member_cannot_open_admin_pages(client: TestClient, url: str) -> None:
    login(client, "member", "alice", "alice")
    response = client.get(url)
    assert response.status_code == 403
    assert "无权访问" in response.text


def test_a_member_cannot_post_admin_actions(app: FastAPI, client: TestClient) -> None:
    hub_of(app).writer("demo").submit(Command("t:w", ev.Withdraw("w1", "bob", 100)))
    login(client, "member", "alice", "alice")
    token = csrf_of(client, "/member/demo/")
    response = client.post("/admin/demo/withdrawals/approve", data={"csrf": token, "withdrawal": "w1"})
    assert response.status_code == 403
    assert hub_of(app).read("demo", lambda s: s.withdrawals["w1"].status) == "in_flight"


def test_an_admin_cannot_use_the_member_page(client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    assert client.get("/member/demo/").status_code == 403


def test_a_member_cannot_act_on_another_tenant(app: FastAPI, client: TestClient) -> None:
    hub = hub_of(app)
    hub.create_tenant("other", {"products": {"p": {"price": "100.00", "split": {"cost": "70.00",
                                                                                "pool": "30.00"}}}})
    writer = hub.writer("other")
    writer.submit(Command("o:1", ev.Join("alice")))
    writer.submit(Command("o:2", ev.PayOrder("x1", "alice", "p")))
    app.state.access.create_user("other", "alice", "pw-other", role="member", member_id="alice")
    held = points_of(app, "alice", "other")
    assert held > 0

    login(client, "member", "alice", "alice")  # alice of tenant demo
    token = csrf_of(client, "/member/demo/")
    response = client.post("/member/other/sell", data={"csrf": token, "points": "1"})
    assert response.status_code == 403
    response = client.post("/member/other/withdraw", data={"csrf": token, "amount": "1.00"})
    assert response.status_code == 403
    assert points_of(app, "alice", "other") == held
    assert hub.read("other", lambda s: len(s.withdrawals)) == 0
    # her demo password does not open the other tenant either
    assert login(client, "member", "alice", "alice", tenant="other").status_code == 401
    assert client.get("/member/other/", follow_redirects=False).status_code == 303


# -- CSRF -------------------------------------------------------------------------------------------


def test_posts_without_a_valid_csrf_token_are_403_and_change_nothing(app: FastAPI, client: TestClient) -> None:
    login(client, "member", "alice", "alice")
    before = points_of(app, "alice")
    seq = hub_of(app).engine("demo").seq
    for data in ({"points": "1"}, {"points": "1", "csrf": ""}, {"points": "1", "csrf": "forged"}):
        response = client.post("/member/demo/sell", data=data)
        assert response.status_code == 403
        assert "表单已失效" in response.text
    assert client.post("/member/demo/withdraw", data={"amount": "1.00"}).status_code == 403
    assert points_of(app, "alice") == before
    assert hub_of(app).engine("demo").seq == seq

    hub_of(app).writer("demo").submit(Command("t:w", ev.Withdraw("w1", "bob", 100)))
    login(client, "admin", "admin", "admin")
    for action in ("approve", "complete", "fail"):
        response = client.post(f"/admin/demo/withdrawals/{action}", data={"withdrawal": "w1"})
        assert response.status_code == 403
    assert client.post("/admin/demo/subsidy", data={"amount": "5.00"}).status_code == 403
    assert hub_of(app).read("demo", lambda s: s.withdrawals["w1"].status) == "in_flight"
    assert not any(action.startswith("withdrawal.") for _, action, _ in audit_actions(app))


def test_a_token_from_another_session_is_refused(app: FastAPI, client: TestClient) -> None:
    login(client, "member", "alice", "alice")
    stale = csrf_of(client, "/member/demo/")
    login(client, "member", "alice", "alice")  # a new sign-in gets a new token
    before = points_of(app, "alice")
    assert client.post("/member/demo/sell", data={"csrf": stale, "points": "1"}).status_code == 403
    assert points_of(app, "alice") == before


# -- the member page and the withdrawal review --------------------------------------------------------


def test_member_page_shows_exact_balances(app: FastAPI, client: TestClient) -> None:
    login(client, "member", "alice", "alice")
    page = client.get("/member/demo/?lang=en").text
    units = points_of(app, "alice")
    pool = hub_of(app).read("demo", lambda s: s.pool)
    assert f'id="points">{format_points(units)}<' in page
    assert f'id="points-value">¥{format_cents(units * pool.money_cents // pool.points_units)}<' in page
    sale = units * 4 * pool.money_cents // (5 * pool.points_units)  # 20% retention
    assert f'id="sale-value">¥{format_cents(sale)}<' in page
    assert 'id="cash">¥250.00<' in page  # the referral plan's commissions on her downline's packs
    assert "after the 20% retention" in page and "3×" in page
    assert 'data-price-chart="price-chart-data"' in page


def test_member_sells_and_a_too_large_sale_shows_the_reason(app: FastAPI, client: TestClient) -> None:
    login(client, "member", "alice", "alice")
    token = csrf_of(client, "/member/demo/")
    held = points_of(app, "alice")

    too_many = client.post("/member/demo/sell", data={"csrf": token, "points": "99999"})
    kind, text = flash_of(too_many.text)
    assert kind == "error"
    assert "积分不足" in text
    assert f"99999.0000 is more than the {format_points(held)} held" in text
    assert points_of(app, "alice") == held

    not_a_number = client.post("/member/demo/sell", data={"csrf": token, "points": "1.00001"})
    assert flash_of(not_a_number.text)[0] == "error"
    assert points_of(app, "alice") == held

    sold = client.post("/member/demo/sell", data={"csrf": token, "points": "10"})
    kind, text = flash_of(sold.text)
    cash = hub_of(app).read("demo", lambda s: s.ledger.balances["member:alice:cash"])
    assert (kind, text) == ("ok", f"已卖出 10.0000 积分，{format_cents(cash - REFERRALS_ALICE_CENTS)} 元已转入零钱。")
    assert points_of(app, "alice") == held - 100_000
    assert f'id="cash">¥{format_cents(cash)}<' in sold.text


def test_withdrawal_request_review_and_payment(app: FastAPI, client: TestClient) -> None:
    hub = hub_of(app)
    login(client, "member", "alice", "alice")
    token = csrf_of(client, "/member/demo/")
    client.post("/member/demo/sell", data={"csrf": token, "points": "50"})
    too_much = client.post("/member/demo/withdraw", data={"csrf": token, "amount": "100000.00"})
    assert "零钱不足" in flash_of(too_much.text)[1]
    response = client.post("/member/demo/withdraw", data={"csrf": token, "amount": "20.00"})
    kind, text = flash_of(response.text)
    assert kind == "ok" and "20.00" in text
    (wid,) = hub.read("demo", lambda s: list(s.withdrawals))
    response = client.post("/member/demo/withdraw", data={"csrf": token, "amount": "5.00"})
    second = hub.read("demo", lambda s: [w for w in s.withdrawals if w != wid])[0]

    login(client, "admin", "admin", "admin")
    review = client.get("/admin/demo/withdrawals").text
    assert f'data-withdrawal="{wid}"' in review and "审核通过" in review
    token = csrf_of(client, "/admin/demo/withdrawals")

    approved = client.post("/admin/demo/withdrawals/approve", data={"csrf": token, "withdrawal": wid})
    assert flash_of(approved.text) == ("ok", f"审核通过：提现单 {wid} 当前状态为已审核。")
    assert hub.read("demo", lambda s: s.withdrawals[wid].status) == "approved"
    again = client.post("/admin/demo/withdrawals/approve", data={"csrf": token, "withdrawal": wid})
    assert "提现单已处理" in flash_of(again.text)[1]

    client.post("/admin/demo/withdrawals/complete", data={"csrf": token, "withdrawal": wid})
    assert hub.read("demo", lambda s: s.withdrawals[wid].status) == "done"
    assert hub.read("demo", lambda s: s.ledger.balances[EXTERNAL_WITHDRAWALS]) == 2_000

    cash_before = hub.read("demo", lambda s: s.ledger.balances["member:alice:cash"])
    client.post("/admin/demo/withdrawals/fail", data={"csrf": token, "withdrawal": second})
    assert hub.read("demo", lambda s: s.withdrawals[second].status) == "failed"
    assert hub.read("demo", lambda s: s.ledger.balances["member:alice:cash"]) == cash_before + 500

    entries = audit_actions(app)
    done = [(actor, action, detail["withdrawal"], detail["result"]) for actor, action, detail in entries
            if action.startswith("withdrawal.")]
    assert ("admin", "withdrawal.approve", wid, "ok") in done
    assert ("admin", "withdrawal.approve", wid, "withdrawal_not_in_flight") in done
    assert ("admin", "withdrawal.complete", wid, "ok") in done
    assert ("admin", "withdrawal.fail", second, "ok") in done
    audit_page = client.get("/admin/demo/audit").text
    assert "withdrawal.complete" in audit_page and wid in audit_page

    dashboard = client.get("/admin/demo/").text
    assert 'id="withdrawn">¥20.00<' in dashboard

    login(client, "member", "alice", "alice")
    mine = client.get("/member/demo/").text
    assert "已打款" in mine and "已驳回" in mine


def test_unknown_admin_action_is_404(client: TestClient) -> None:
    login(client, "admin", "admin", "admin")
    token = csrf_of(client, "/admin/demo/withdrawals")
    assert client.post("/admin/demo/withdrawals/steal", data={"csrf": token, "withdrawal": "x"}).status_code == 404


# -- static files and the catalogue -------------------------------------------------------------------------


def test_vendored_scripts_are_served(client: TestClient) -> None:
    for path in ("vendor/echarts/echarts.min.js", "vendor/htmx/htmx.min.js", "pages.js", "pages.css"):
        response = client.get(f"/static/pages/{path}")
        assert response.status_code == 200, path
    assert "echarts" in client.get("/static/pages/vendor/echarts/echarts.min.js").text[:2000].lower()


def test_every_template_label_is_in_both_languages() -> None:
    templates = Path(i18n.__file__).parent / "templates"
    used: set[str] = set()
    for path in templates.rglob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_]+)'\s*[,)]", path.read_text()))
    # labels built from a status: t('status_' ~ status)
    used |= {f"status_{s}" for s in ("paid", "settled", "refunded", "in_flight", "approved", "done", "failed")}
    assert len(used) > 50
    assert used <= i18n.keys(), sorted(used - i18n.keys())
    english, chinese = i18n.catalogue("en"), i18n.catalogue("zh-CN")
    for key in i18n.keys():
        assert english[key].strip() and chinese[key].strip(), key
        assert sorted(re.findall(r"\{(\w+)\}", english[key])) == sorted(re.findall(r"\{(\w+)\}", chinese[key])), key


def test_a_resent_form_acts_once(app: FastAPI, client: TestClient) -> None:
    login(client, "member", "alice", "alice")
    page = client.get("/member/demo/").text
    token = CSRF_RE.search(page).group(1)  # type: ignore[union-attr]
    sell_nonce, withdraw_nonce = re.findall(r'name="nonce" value="([0-9a-f]{32})"', page)
    held = points_of(app, "alice")
    for _ in range(2):  # a double click
        client.post("/member/demo/sell", data={"csrf": token, "nonce": sell_nonce, "points": "10"})
    assert points_of(app, "alice") == held - 100_000
    for _ in range(2):
        response = client.post("/member/demo/withdraw", data={"csrf": token, "nonce": withdraw_nonce,
                                                              "amount": "1.00"})
        assert flash_of(response.text)[0] == "ok"
    assert hub_of(app).read("demo", lambda s: len(s.withdrawals)) == 1
    # the same nonce for other content is refused, and says why
    other = client.post("/member/demo/sell", data={"csrf": token, "nonce": sell_nonce, "points": "20"})
    assert "请求编号重复" in flash_of(other.text)[1]
    assert points_of(app, "alice") == held - 100_000
