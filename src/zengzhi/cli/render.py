"""Terminal rendering: the only module that imports Rich."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from zengzhi.benchmark import BenchRow

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def replay_summary(path: str, view: dict[str, Any]) -> None:
    pool = view["pool"]
    out.print(f"[bold]{path}[/]: pool {pool['money']}  points {pool['points']}  "
              f"price {pool['price']}  members {len(view['members'])}  exits {view['exits']}  "
              f"rejected {len(view['rejected'])}")
    for item in view["rejected"][:20]:
        out.print(f"  [yellow]event {item['index']} rejected[/]: {item['reason']}")
    if len(view["rejected"]) > 20:
        out.print(f"  … {len(view['rejected']) - 20} more rejections")


def check_result(path: str, diffs: Sequence[str]) -> None:
    if not diffs:
        out.print(f"[green]PASS[/] {path}")
        return
    out.print(f"[red]FAIL[/] {path}")
    for diff in diffs:
        out.print(f"  {diff}")


def bench_table(rows: Sequence[BenchRow]) -> None:
    table = Table(title="zengzhi bench engine")
    for name in ("mode", "members", "events", "seconds", "events/s", "µs/event", "accepted"):
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(row.mode, f"{row.members:,}", f"{row.events:,}", f"{row.seconds:.3f}",
                      f"{row.events_per_s:,.0f}", f"{row.us_per_event:.2f}", f"{row.accepted:,}")
    out.print(table)


def plans_bench_table(rows: Sequence[Any], domain: str) -> None:
    table = Table(title="zengzhi bench plans (every plan enabled, in memory)",
                  caption=f"domain: {domain} (ZENGZHI_NATIVE=1 pip install -e . compiles it)")
    for name in ("shape", "members", "max depth", "orders", "seconds", "orders/s", "set-up s", "peak MB"):
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(row.shape, f"{row.members:,}", f"{row.depth_max:,}", f"{row.orders:,}",
                      f"{row.seconds:.2f}", f"{row.orders_per_s:,.0f}", f"{row.setup_seconds:.1f}",
                      f"{row.peak_mb:,.0f}" if row.peak_mb else "-")
    out.print(table)


def order_story(story: dict[str, Any]) -> None:
    out.print(f"[bold]order {story['order']}[/]")
    for line in story["postings"]:
        out.print(f"  {line['explanation']}", markup=False, soft_wrap=True)
    if story["paid_by_plans"]:
        paid = ", ".join(f"{m} {c}" for m, c in story["paid_by_plans"].items())
        out.print(f"  paid by plans: {paid}", markup=False, soft_wrap=True)


def error(message: str) -> None:
    err.print(f"[red]error:[/] {message}")
