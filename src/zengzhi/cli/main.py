"""``zengzhi`` command line: replay, scenario, bench.

Exit codes: 0 ok; 1 ``--check`` found differences; 2 bad input (file,
config, usage); 3 ``--strict`` stopped at a rejected event.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from zengzhi.cli import render
from zengzhi.cli.audit import audit
from zengzhi.cli.report import report
from zengzhi.cli.simulate import simulate
from zengzhi.cli.sweep import sweep
from zengzhi.cli.tenant import tenant_app
from zengzhi.errors import ZengzhiError

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="zengzhi (增值): exact engine for consumption-appreciation pools.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks (numbers for docs/performance.md).")
scenario_app = typer.Typer(no_args_is_help=True, help="Make scenario files.")
app.add_typer(bench_app, name="bench")
app.add_typer(scenario_app, name="scenario")
app.add_typer(tenant_app, name="tenant")
app.command()(simulate)
app.command()(report)
app.command()(sweep)
app.command()(audit)

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_STRICT_REJECTED = 3


def _replay_one(path: Path, db: str | None, tenant: str | None, strict: bool,
                explain: list[str] | None = None) -> dict[str, Any]:
    from zengzhi.bootstrap import SystemClock, open_store
    from zengzhi.replay import run_scenario
    from zengzhi.scenario import load_file, parse_scenario

    scenario = parse_scenario(load_file(path), str(path))
    with tempfile.TemporaryDirectory() as tmp:
        url = db or f"sqlite:///{Path(tmp) / 'replay.db'}"
        store = open_store(url)
        try:
            result = run_scenario(scenario, store, SystemClock(), tenant=tenant or path.stem,
                                  strict=strict)
            stories = _stories(store, tenant or path.stem, explain, result.engine) if explain else []
        finally:
            store.close()
    view = result.view
    view["_expect"] = scenario.expect
    view["_stopped_at"] = result.stopped_at
    view["_stories"] = stories
    return view


def _stories(store: Any, tenant: str, order_ids: list[str], engine: Any) -> list[dict[str, Any]]:
    """``--explain``: each order's postings in words (``*``: every order of the scenario)."""
    from zengzhi.engine.explain import order_story

    if "*" in order_ids:
        order_ids = list(engine.state.orders) if engine is not None else []
    return [order_story(order_id, store.order_postings(tenant, order_id)) for order_id in order_ids]


@app.command()
def replay(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML or JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the final state as JSON.")] = False,
    check: Annotated[bool, typer.Option(help="Compare with each file's expect block.")] = False,
    strict: Annotated[bool, typer.Option(help="Stop at the first rejected event.")] = False,
    db: Annotated[str | None, typer.Option(help="Database URL instead of a throw-away SQLite file.")] = None,
    tenant: Annotated[str | None, typer.Option(help="Tenant name in --db (default: file stem).")] = None,
    explain: Annotated[list[str] | None, typer.Option(
        help="Explain an order's postings (repeatable; '*' for every order).")] = None,
) -> None:
    """Run scenario files through the engine and print the final state."""
    from zengzhi.replay import compare

    failed = stopped = False
    results: dict[str, Any] = {}
    for path in files:
        try:
            view = _replay_one(path, db, tenant, strict, explain)
        except (ZengzhiError, OSError) as exc:
            render.error(f"{path}: {exc}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        expect = view.pop("_expect")
        stopped_at = view.pop("_stopped_at")
        stories = view.pop("_stories")
        if explain:
            view["explain"] = stories
            if not as_json:
                for story in stories:
                    render.order_story(story)
        if stopped_at is not None:
            stopped = True
            render.error(f"{path}: stopped at rejected event {stopped_at} (--strict)")
        results[str(path)] = view
        if check:
            if expect is None:
                render.error(f"{path}: no expect block to check against")
                failed = True
            else:
                diffs = compare(expect, view)
                failed = failed or bool(diffs)
                if not as_json:
                    render.check_result(str(path), diffs)
        elif not as_json:
            render.replay_summary(str(path), view)
    if as_json:
        render.print_json(results[str(files[0])] if len(files) == 1 else results)
    if stopped:
        raise typer.Exit(EXIT_STRICT_REJECTED)
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command("explain")
def explain_order(
    order_ids: Annotated[list[str], typer.Argument(help="Order ids.")],
    db: Annotated[str | None, typer.Option(help="Database URL (default ./zengzhi.db).")] = None,
    tenant: Annotated[str, typer.Option(help="Tenant.")] = "demo",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Why each member got what on an order: every posting with its rule, plan and reason."""
    from zengzhi.bootstrap import open_store
    from zengzhi.config import Settings
    from zengzhi.engine.explain import order_story

    try:
        store = open_store(db or Settings().db_url)
    except (ZengzhiError, OSError) as exc:
        render.error(str(exc))
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        stories = [order_story(order_id, store.order_postings(tenant, order_id)) for order_id in order_ids]
    finally:
        store.close()
    missing = [s["order"] for s in stories if not s["postings"]]
    if as_json:
        render.print_json(stories if len(stories) > 1 else stories[0])
    else:
        for story in stories:
            render.order_story(story)
    if missing:
        render.error(f"no postings for order(s) {', '.join(missing)} in tenant {tenant!r}")
        raise typer.Exit(EXIT_BAD_INPUT)


@scenario_app.command("random")
def scenario_random(
    events: Annotated[int, typer.Argument(help="Number of events.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (.yaml or .json).")] = None,
) -> None:
    """Write a seeded scenario of joins, orders, sells and subsidies."""
    from zengzhi.workload import scenario_document

    document = scenario_document(events, seed)
    if output is None or output.suffix == ".json":
        text = json.dumps(document, ensure_ascii=False)
    else:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")


def _sizes(text: str) -> list[int]:
    try:
        return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter(f"not a comma-separated list of integers: {text!r}") from None


@bench_app.command("engine")
def bench_engine(
    members: Annotated[str, typer.Option(help="Member counts, comma-separated.")] = "1000,10000,100000,1000000",
    events: Annotated[int, typer.Option(help="Timed pool events per run.")] = 200_000,
    durable_events: Annotated[int, typer.Option(help="Timed events per durable run.")] = 100_000,
    durable: Annotated[bool, typer.Option(help="Also measure the durable (SQLite) engine.")] = True,
    db: Annotated[str | None, typer.Option(help="Database URL for the durable runs.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Events/s and µs per event, in memory and durable, at each member count."""
    from zengzhi.benchmark import bench_durable, bench_memory
    from zengzhi.bootstrap import SystemClock, open_store

    rows = []
    for n in _sizes(members):
        rows.append(bench_memory(n, events, seed))
        render.bench_table(rows[-1:])
        if durable:
            rows.append(bench_durable(n, durable_events, seed, open_store, SystemClock(), db))
            render.bench_table(rows[-1:])
    render.bench_table(rows)


@bench_app.command("server")
def bench_server(
    databases: Annotated[str, typer.Option(help="sqlite and/or postgresql, comma-separated.")] = "sqlite,postgresql",
    systems: Annotated[str, typer.Option(help="zengzhi and/or baseline (one transaction per order).")]
    = "zengzhi,baseline",
    pg_url: Annotated[str, typer.Option(help="PostgreSQL server (a fresh database is created and dropped).")]
    = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    orders: Annotated[int, typer.Option(help="Webhooks in the throughput phase.")] = 20_000,
    concurrency: Annotated[int, typer.Option(help="Requests in flight in the throughput phase.")] = 64,
    rates: Annotated[str, typer.Option(help="Open-loop rates (webhooks/s), comma-separated.")] = "1000",
    duration: Annotated[float, typer.Option(help="Seconds per latency phase.")] = 10.0,
    members: Annotated[int, typer.Option(help="Members created before the orders.")] = 1_000,
) -> None:
    """Signed order webhooks against a real server: webhooks/s and p50/p95/p99 latency."""
    from zengzhi.bench_server import format_rows, run_server_bench

    rows = run_server_bench(
        [d for d in databases.split(",") if d], pg_url=pg_url, systems=[s for s in systems.split(",") if s],
        orders=orders, concurrency=concurrency, rates=[float(r) for r in rates.split(",") if r],
        duration_s=duration, members=members, on_row=lambda row: typer.echo(format_rows([row])))
    typer.echo(format_rows(rows))  # plain Markdown, never wrapped to the terminal


@bench_app.command("plans")
def bench_plans_command(
    shapes: Annotated[str, typer.Option(help="random and/or chain, comma-separated.")] = "random,chain",
    members: Annotated[int, typer.Option(help="Members in the random tree.")] = 1_000_000,
    chain: Annotated[int, typer.Option(help="Members (= depth) of the chain.")] = 100_000,
    orders: Annotated[int, typer.Option(help="Timed settled orders per shape.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    memory: Annotated[bool, typer.Option(help="Trace peak memory (slower).")] = False,
    without: Annotated[str, typer.Option(help="Plans to leave out (names, comma-separated), "
                                              "to measure what each costs.")] = "",
    mature: Annotated[bool, typer.Option(help="Every member buys a pack in the set-up (not one in ten).")] = False,
) -> None:
    """Settled orders/s with every reward plan enabled, on a random tree and a deep chain."""
    from zengzhi.bench_plans import bench_plans, config_without
    from zengzhi.bootstrap import tune_gc
    from zengzhi.native_build import describe

    tune_gc()
    try:
        config = config_without(n.strip() for n in without.split(",") if n.strip())
    except ValueError as exc:
        render.error(f"--without: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    rows = []
    for shape in (s.strip() for s in shapes.split(",") if s.strip()):
        if shape not in ("random", "chain"):
            render.error(f"--shapes: unknown shape {shape!r} (random, chain)")
            raise typer.Exit(EXIT_BAD_INPUT)
        size = members if shape == "random" else chain
        rows.append(bench_plans(shape, size, orders, seed, config=config, trace_memory=memory, mature=mature))
    render.plans_bench_table(rows, describe())


@app.command()
def serve(
    demo: Annotated[bool, typer.Option(help="Create the demo tenant (seed 000's 1000 pack).")] = False,
    db: Annotated[str | None, typer.Option(help="Database URL (default ./zengzhi.db).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    access_log: Annotated[bool, typer.Option(help="uvicorn's plain-text access log (zengzhi already "
                                                  "logs every request as a JSON line).")] = False,
) -> None:
    """Serve the platform API, the admin and the member pages."""
    import uvicorn

    from zengzhi.api.observe import configure_json_logging
    from zengzhi.bootstrap import build_app
    from zengzhi.config import Settings

    configure_json_logging()
    settings = Settings() if db is None else Settings(db_url=db)
    application = build_app(settings, demo=demo)
    if demo:
        render.out.print(f"demo tenant: http://{host}:{port}/admin/demo/  (admin / admin)  "
                         f"member page: http://{host}:{port}/member/demo/  (alice / alice)")
        credentials = application.state.demo_credentials
        if credentials is not None:  # shown once, when the demo tenant is created
            render.out.print(f"demo API key: {credentials[0]}\ndemo webhook secret: {credentials[1]}")
    render.out.print(f"API docs: http://{host}:{port}/docs")
    uvicorn.run(application, host=host, port=port, log_level="info", access_log=access_log)


def main() -> None:
    from zengzhi.bootstrap import tune_gc

    tune_gc()
    app()
