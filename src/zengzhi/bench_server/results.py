"""The server benchmark's results: one ``ServerBenchRow`` per phase, percentiles, the Markdown table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from zengzhi.bench_server.loadgen import Tally


@dataclass(frozen=True, slots=True)
class ServerBenchRow:
    system: str  # "zengzhi" | "baseline"
    database: str  # "sqlite" | "postgresql"
    mode: str  # "throughput" | "latency"
    requests: int  # sent
    ok: int  # answered 200
    seconds: float  # first send to last answer
    target_rate: float | None  # latency mode: the scheduled webhooks/s
    concurrency: int | None  # throughput mode: requests in flight
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_s: float | None  # CPU time the server process used in the phase (Linux)
    client_cpu_s: float  # CPU time this process (the load generator) used in the phase
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def per_s(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return self.requests - self.ok


def percentile_ms(sorted_s: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted latencies in seconds, in ms."""
    if not sorted_s:
        return float("nan")
    rank = max(0, min(len(sorted_s) - 1, int(q * len(sorted_s) + 0.999999) - 1))
    return sorted_s[rank] * 1e3


def tally_row(system: str, database: str, mode: str, requests: int, tally: Tally, seconds: float,
              rate: float | None, concurrency: int | None, cpu0: float | None, cpu1: float | None,
              client_cpu_s: float) -> ServerBenchRow:
    lat = sorted(tally.latencies)
    return ServerBenchRow(
        system, database, mode, requests, tally.ok, seconds, rate, concurrency,
        percentile_ms(lat, 0.50), percentile_ms(lat, 0.95), percentile_ms(lat, 0.99),
        lat[-1] * 1e3 if lat else float("nan"),
        None if cpu0 is None or cpu1 is None else cpu1 - cpu0, client_cpu_s, dict(tally.errors))


def format_rows(rows: Sequence[ServerBenchRow]) -> str:
    """A plain-text table of the rows (Markdown)."""
    out = ["| system | database | mode | sent | ok | webhooks/s | p50 ms | p95 ms | p99 ms | max ms "
           "| server CPU ms/req | client CPU ms/req |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.mode == "throughput":
            mode = f"throughput ({r.concurrency} in flight)"
        else:
            mode = f"latency @ {r.target_rate or 0:,.0f}/s"
        server_cpu = "" if r.server_cpu_s is None or not r.ok else f"{r.server_cpu_s * 1e3 / r.ok:.2f}"
        client_cpu = f"{r.client_cpu_s * 1e3 / r.requests:.2f}" if r.requests else ""
        out.append(f"| {r.system} | {r.database} | {mode} | {r.requests:,} | {r.ok:,} | {r.per_s:,.0f} "
                   f"| {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.p99_ms:.1f} | {r.max_ms:.1f} | {server_cpu} "
                   f"| {client_cpu} |")
        for what, n in r.errors.items():
            out.append(f"|  | error | {n} × {what[:120]} |")
    return "\n".join(out)
