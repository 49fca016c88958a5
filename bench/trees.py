"""Per-operation cost of the tree indices (zengzhi.domain.trees), in microseconds.

    .venv/bin/python bench/trees.py [--nodes 1000000] [--chain 100000] [--queries 100000] [--seed 1]

Two forests: (a) a random recursive tree (node i hangs under a uniform random
earlier node; expected depth ~ ln n) of ``--nodes`` nodes, and (b) a single
chain ``--chain`` deep (every node the child of the previous one: the sponsor
chain the indices exist for). For each, prints the mean µs per call of
``add_node`` (both indices), ``add_weight``, ``subtree_weight``,
``subtree_size``, ``first_leaf``, ``first_ancestor`` (a monotone depth
threshold predicate, with the mean number of predicate calls) and
``ancestor_at_depth``, each over ``--queries`` random nodes.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from functools import partial

from zengzhi.domain.trees import AncestorIndex, SubtreeIndex

US_PER_S = 1_000_000


def timed(calls: int, body: Callable[[], object]) -> float:
    """CPU µs per call of a body that makes ``calls`` calls (process time: other load on the box does not count)."""
    began = time.process_time()
    body()
    return (time.process_time() - began) * US_PER_S / max(calls, 1)


def run_all(query: Callable[[int], int], nodes: list[int]) -> None:
    for node in nodes:
        query(node)


def measure(parents: list[int | None], queries: int, rng: random.Random) -> list[tuple[str, float, str]]:
    n = len(parents)
    down, up = SubtreeIndex(), AncestorIndex()
    rows: list[tuple[str, float, str]] = []

    def add_down() -> None:
        for node, parent in enumerate(parents):
            down.add_node(node, parent)

    def add_up() -> None:
        for node, parent in enumerate(parents):
            up.add_node(node, parent)

    rows.append(("SubtreeIndex.add_node", timed(n, add_down), ""))
    rows.append(("AncestorIndex.add_node", timed(n, add_up), ""))
    picks = [rng.randrange(n) for _ in range(queries)]
    deltas = [rng.randrange(-10_000, 10_000) for _ in range(queries)]

    def add_weight() -> None:
        for node, delta in zip(picks, deltas, strict=True):
            down.add_weight(node, delta)

    rows.append(("add_weight", timed(queries, add_weight), ""))
    queries_by_name: dict[str, Callable[[int], int]] = {
        "subtree_weight": down.subtree_weight, "subtree_size": down.subtree_size, "first_leaf": down.first_leaf}
    for name, query in queries_by_name.items():
        rows.append((name, timed(queries, partial(run_all, query, picks)), ""))
    depth = up.depth
    cuts = [rng.randint(0, depth(node)) for node in picks]
    asked = [0]

    def first_ancestor() -> None:
        for node, cut in zip(picks, cuts, strict=True):
            def pred(a: int, cut: int = cut) -> bool:
                asked[0] += 1
                return depth(a) < cut
            up.first_ancestor(node, pred)

    us = timed(queries, first_ancestor)
    rows.append(("first_ancestor", us, f"{asked[0] / queries:.1f} pred calls"))
    rows.append(("ancestor_at_depth", timed(queries, lambda: [
        up.ancestor_at_depth(node, cut) for node, cut in zip(picks, cuts, strict=True)]), ""))
    deepest = max(range(n), key=depth)
    rows.append(("(max depth)", float(depth(deepest)), ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000, help="random recursive tree size")
    parser.add_argument("--chain", type=int, default=100_000, help="chain depth")
    parser.add_argument("--queries", type=int, default=100_000, help="calls per query kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    random_tree: list[int | None] = [None] + [rng.randrange(i) for i in range(1, args.nodes)]
    chain: list[int | None] = [None] + list(range(args.chain - 1))
    results = {
        f"random tree {args.nodes:,}": measure(random_tree, args.queries, rng),
        f"chain {args.chain:,} deep": measure(chain, args.queries, rng),
    }
    titles = list(results)
    print(f"{'operation (µs per call)':<26}" + "".join(f"{t:>24}" for t in titles))
    for i, (name, _, _) in enumerate(results[titles[0]]):
        cells = []
        for title in titles:
            _, value, note = results[title][i]
            text = f"{value:,.0f}" if name.startswith("(") else f"{value:.2f}"
            cells.append(f"{text + (' (' + note + ')' if note else ''):>24}")
        print(f"{name:<26}" + "".join(cells))


if __name__ == "__main__":
    main()
