"""The server benchmark's command line: ``python -m zengzhi.bench_server`` parses arguments and prints rows."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from zengzhi.bench_server.plan import DATABASES, PG_SERVER_DEFAULT, SYSTEMS, run_server_bench
from zengzhi.bench_server.results import ServerBenchRow, format_rows


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m zengzhi.bench_server [--databases sqlite,postgresql] [--systems ...] ...``"""
    import argparse

    from zengzhi import bench_server
    from zengzhi.bootstrap import tune_gc

    doc = bench_server.__doc__  # the package's first line, as before the split
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--databases", default=",".join(DATABASES))
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--pg-url", default=PG_SERVER_DEFAULT)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rates", default="1000")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--members", type=int, default=1_000)
    args = parser.parse_args(argv)
    tune_gc()

    def show(row: ServerBenchRow) -> None:
        sys.stdout.write(format_rows([row]).split("\n", 2)[2] + "\n")
        sys.stdout.flush()

    rows = run_server_bench(
        [d for d in args.databases.split(",") if d], pg_url=args.pg_url,
        systems=[s for s in args.systems.split(",") if s], orders=args.orders, concurrency=args.concurrency,
        rates=[float(r) for r in args.rates.split(",") if r], duration_s=args.duration, members=args.members,
        on_row=show)
    sys.stdout.write("\n" + format_rows(rows) + "\n")
