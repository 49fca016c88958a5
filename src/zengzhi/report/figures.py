"""matplotlib figures (Agg backend) as PNG data URIs: nothing in the HTML reaches the network.

Floats are fine here: this is display only. Chinese labels need a CJK font;
without one (``cjk_font()`` is None) the figures keep English labels so no
glyph is missing.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from zengzhi.report.analysis import Cohort, GrowthRow, Stress  # noqa: E402
from zengzhi.report.collect import Point  # noqa: E402
from zengzhi.sim.plan_payouts import RankRow  # noqa: E402

CJK_NAMES = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "Droid Sans Fallback", "AR PL")
SERIES_MAX = 2000  # points drawn per line; the series is thinned evenly beyond that
DPI = 80


@cache
def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    for entry in font_manager.fontManager.ttflist:
        if any(entry.name.startswith(name) for name in CJK_NAMES):
            return str(entry.name)
    return None


def _png(draw: Callable[[Any], None], size: tuple[float, float] = (7.0, 3.4)) -> str:
    font = cjk_font()
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with plt.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=size, dpi=DPI)
        try:
            draw(ax)
            fig.tight_layout()
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})  # same bytes across versions
        finally:
            plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _thin(series: list[Point]) -> list[Point]:
    step = max(1, len(series) // SERIES_MAX)
    out = series[::step]
    return out if out[-1] is series[-1] else [*out, series[-1]]


def price_and_pool(series: list[Point], t: Callable[[str], str]) -> str:
    points = [p for p in _thin(series) if p.points_units > 0]
    xs = [p.orders for p in points]
    price = [p.money_cents * 100 / p.points_units for p in points]  # yuan per point
    money = [p.money_cents / 100 for p in points]

    def draw(ax: Any) -> None:
        ax.plot(xs, price, color="#c0392b", label=t("fig_price"))
        ax.set_xlabel(t("fig_orders"))
        ax.set_ylabel(t("fig_price"), color="#c0392b")
        right = ax.twinx()
        right.plot(xs, money, color="#2c3e50", linestyle="--", label=t("fig_pool"))
        right.set_ylabel(t("fig_pool"), color="#2c3e50")
        ax.grid(alpha=0.3)

    return _png(draw)


def cohort_bars(groups: list[Cohort], t: Callable[[str], str]) -> str:
    xs = list(range(len(groups)))
    width = 0.27

    def draw(ax: Any) -> None:
        ax.bar([x - width for x in xs], [c.spend_cents / 100 for c in groups], width, label=t("fig_spend"),
               color="#7f8c8d")
        ax.bar(xs, [c.cash_cents / 100 for c in groups], width, label=t("fig_cash"), color="#27ae60")
        ax.bar([x + width for x in xs], [c.value_cents / 100 for c in groups], width, label=t("fig_value"),
               color="#f39c12")
        ax.set_xticks(xs, [str(c.index) for c in groups])
        ax.set_xlabel(t("fig_cohort"))
        ax.set_ylabel(t("fig_yuan"))
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)

    return _png(draw)


def growth_lines(rows: list[GrowthRow], orders: int, t: Callable[[str], str]) -> str:
    def draw(ax: Any) -> None:
        if not rows:  # nobody ordered: nothing to put on log axes
            ax.text(0.5, 0.5, "—", ha="center", va="center")
            return
        xs = [r.n_j for r in rows]
        ax.plot(xs, [r.predicted_breakeven for r in rows], marker="o", label=t("fig_predicted_be"))
        seen = [(r.n_j, r.observed_breakeven) for r in rows if r.observed_breakeven is not None]
        if seen:
            ax.plot(*zip(*seen, strict=True), marker="x", linestyle="", markersize=9, label=t("fig_observed_be"))
        if rows and rows[0].predicted_exit is not None:
            ax.plot(xs, [r.predicted_exit for r in rows], marker="s", label=t("fig_predicted_exit"))
        if orders > 0:  # how far the run got: a closed-form point above this line was not reached
            ax.axhline(orders, color="#c0392b", linestyle=":", label=t("fig_run_orders"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(t("fig_nj"))
        ax.set_ylabel(t("fig_orders_needed"))
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3, which="both")

    return _png(draw)


def stress_curve(stress: Stress, t: Callable[[str], str]) -> str:
    def draw(ax: Any) -> None:
        xs = list(range(len(stress.curve)))
        ax.plot(xs, [a / 100 for a, _ in stress.curve], label=t("fig_paper"), color="#f39c12")
        ax.plot(xs, [b / 100 for _, b in stress.curve], label=t("fig_paid"), color="#27ae60")
        ax.set_xlabel(t("fig_sellers"))
        ax.set_ylabel(t("fig_yuan"))
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)

    return _png(draw)


def gain_curve(gains: list[int], t: Callable[[str], str]) -> str:
    ordered = sorted(gains)

    def draw(ax: Any) -> None:
        n = len(ordered)
        ax.plot([100 * i / max(1, n - 1) for i in range(n)], [g / 100 for g in ordered], color="#8e44ad")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlabel(t("fig_percentile"))
        ax.set_ylabel(t("fig_net_gain"))
        ax.grid(alpha=0.3)

    return _png(draw)


def _rank_label(row: RankRow, position: int) -> str:
    label = f"{row.plan}: {row.rank}"
    if label.isascii() or cjk_font():
        return label
    return f"{row.plan}: #{position}"  # a Chinese rank name without a CJK font would draw as boxes


def plan_bars(rows: list[RankRow], t: Callable[[str], str]) -> str:
    """Mean plan payout per member, per plan and rank (log scale: top ranks get orders of magnitude more)."""
    positions: dict[str, int] = {}
    shown = []
    for row in rows:
        positions[row.plan] = positions.get(row.plan, 0) + 1
        if row.paid_cents > 0:
            shown.append((_rank_label(row, positions[row.plan]), row.mean_cents / 100))

    def draw(ax: Any) -> None:
        if not shown:
            ax.text(0.5, 0.5, "—", ha="center", va="center")
            return
        ys = list(range(len(shown)))
        ax.barh(ys, [mean for _, mean in shown], color="#8e44ad")
        ax.set_yticks(ys, [label for label, _ in shown], fontsize=8)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel(t("fig_plan_mean"))
        ax.grid(axis="x", alpha=0.3, which="both")

    return _png(draw, (7.0, max(2.4, 0.6 + 0.22 * len(shown))))
