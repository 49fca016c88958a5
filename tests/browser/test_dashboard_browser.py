"""A real browser (Debian's chromium, driven by Playwright) on a real server.

Starts uvicorn on 127.0.0.1 (an ephemeral port, a thread of this process)
with the demo tenant on a SQLite file, signs in as the admin, waits for the
ECharts price chart to draw, checks the price, saves ``artifacts/dashboard.png``
(and ``dashboard-zh.png``, ``member.png``), then signs in as the member alice and sells
points through the form.

Needs the ``playwright`` Python package and ``/usr/bin/chromium`` (never
``playwright install``). Missing either, the test skips, unless
``ZENGZHI_REQUIRE_BROWSER=1`` (CI sets it), where it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from zengzhi.bootstrap import build_app
from zengzhi.config import Settings
from zengzhi.domain.money import format_points
from zengzhi.engine.hub import TenantHub
from zengzhi.engine.queries import pool_view

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("ZENGZHI_CHROMIUM", "/usr/bin/chromium")
REQUIRED_ENV = "ZENGZHI_REQUIRE_BROWSER"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
SERVER_START_TIMEOUT_S = 20
TIMEOUT_MS = 20_000


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright; no browser download needed)"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


@pytest.fixture(scope="module")
def browser_ready() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get(REQUIRED_ENV) == "1":
        pytest.fail(f"a browser is required ({REQUIRED_ENV}=1) but {reason}")
    pytest.skip(reason)


@dataclass
class Server:
    url: str
    hub: TenantHub


@pytest.fixture
def server(tmp_path: Path, browser_ready: None) -> Iterator[Server]:
    import uvicorn

    app = build_app(Settings(db_url=f"sqlite:///{tmp_path / 'z.db'}", secret_key="browser-test",
                             default_language="en"), demo=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", ws="none", lifespan="on", access_log=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not uv.started:
        assert thread.is_alive(), "the server thread died while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", app.state.hub)
    finally:
        uv.should_exit = True
        thread.join(SERVER_START_TIMEOUT_S)
        sock.close()


def _sign_in(page: Any, url: str, area: str, username: str, password: str) -> None:
    page.goto(f"{url}/{area}/demo/login?lang=en")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


def test_dashboard_chart_and_member_sale_in_a_real_browser(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            admin = browser.new_context(viewport={"width": 1280, "height": 900})
            page = admin.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
            page.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

            _sign_in(page, server.url, "admin", "admin", "admin")
            page.wait_for_selector("#pool-money")
            pool = server.hub.read("demo", pool_view)
            assert page.inner_text("#price") == f"¥{pool['price']}"
            assert page.inner_text("#pool-money") == f"¥{pool['money']}"
            page.wait_for_selector("#price-chart canvas")
            drawn = page.evaluate("""() => {
                const el = document.getElementById('price-chart');
                const chart = window.echarts.getInstanceByDom(el);
                const canvas = el.querySelector('canvas');
                return {points: chart.getOption().series[0].data.length,
                        width: canvas.width, height: canvas.height,
                        last: chart.getOption().series[0].data.slice(-1)[0][1]};
            }""")
            assert drawn["points"] >= 2 and drawn["width"] > 100 and drawn["height"] > 100, drawn
            assert f"{drawn['last']:.4f}" == pool["price"]  # the chart ends at the current price
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

            # HTMX: boosted navigation, the live member search, and the chart drawn again
            page.click("nav a[href='/admin/demo/members']")
            page.wait_for_selector("#member-rows a[href='/admin/demo/members/dave']")
            # the search box is swapped in by HTMX: type only once htmx has bound its trigger
            page.wait_for_function(
                "() => { const box = document.querySelector('input[name=q]');"
                " return !!box && box['htmx-internal-data'] !== undefined; }")
            page.fill("input[name=q]", "car")
            page.wait_for_function("() => !document.querySelector(\"#member-rows a[href='/admin/demo/members/dave']\")")
            assert page.inner_text("#member-rows tbody").split()[0] == "carol"
            page.click("nav a[href='/admin/demo/']")
            page.wait_for_selector("#price-chart canvas")
            page.goto(f"{server.url}/admin/demo/?lang=zh-CN")
            page.wait_for_selector("#price-chart canvas")
            assert "盈利池资金" in page.inner_text("main")
            page.screenshot(path=str(ARTIFACTS / "dashboard-zh.png"), full_page=True)

            # the member: sign in, sell 10 points through the form
            member = browser.new_context(viewport={"width": 1280, "height": 900})
            mpage = member.new_page()
            mpage.set_default_timeout(TIMEOUT_MS)
            mpage.on("pageerror", lambda exc: problems.append(f"member page error: {exc}"))
            mpage.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
            _sign_in(mpage, server.url, "member", "alice", "alice")
            mpage.wait_for_selector("#sell-form")
            before = server.hub.read("demo", lambda s: s.ledger.balances["member:alice:points"])
            assert mpage.inner_text("#points") == format_points(before)
            mpage.fill("#sell-form input[name=points]", "10")
            mpage.click("#sell-form button[type=submit]")
            mpage.wait_for_selector("#flash.ok")
            assert "Sold 10.0000 points" in mpage.inner_text("#flash")
            after = server.hub.read("demo", lambda s: s.ledger.balances["member:alice:points"])
            assert after == before - 100_000
            assert mpage.inner_text("#points") == format_points(after)
            mpage.wait_for_selector("#price-chart canvas")
            mpage.screenshot(path=str(ARTIFACTS / "member.png"), full_page=True)

            # too many points: the reason is shown, nothing changes
            mpage.fill("#sell-form input[name=points]", "99999")
            mpage.click("#sell-form button[type=submit]")
            mpage.wait_for_selector("#flash.error")
            assert "not enough points" in mpage.inner_text("#flash")
            assert server.hub.read("demo", lambda s: s.ledger.balances["member:alice:points"]) == after
        finally:
            browser.close()
    assert not problems, problems
