"""Unit tests for the tree indices: small hand-built forests, edge cases, and a 100k-deep chain."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import zengzhi.domain.trees as trees
from tests.trees_naive import treap_height
from zengzhi.domain.trees import AncestorIndex, SubtreeIndex

CHAIN = 100_000
CHAIN_BUILD_CPU_S_MAX = 5.0  # both indices; about 1 s on a laptop core


def recording(asked: list[int], pred: Callable[[int], bool]) -> Callable[[int], bool]:
    """``pred``, noting each node it is asked about."""
    def wrapped(node: int) -> bool:
        asked.append(node)
        return pred(node)
    return wrapped


def build(edges: list[tuple[int, int | None]]) -> tuple[SubtreeIndex, AncestorIndex]:
    down, up = SubtreeIndex(), AncestorIndex()
    for node, parent in edges:
        down.add_node(node, parent)
        up.add_node(node, parent)
    return down, up


#        10            20 (second root)
#       /  \            |
#      11   12          21
#     /  \    \
#    13   14   15
SMALL: list[tuple[int, int | None]] = [
    (10, None), (11, 10), (12, 10), (20, None), (13, 11), (21, 20), (14, 11), (15, 12)]


def test_public_names() -> None:
    assert trees.__all__ == ["AncestorIndex", "SubtreeIndex"]


def test_single_root() -> None:
    down, up = build([(7, None)])
    assert 7 in down and 8 not in down and "7" not in down and len(down) == 1
    assert down.subtree_size(7) == 1
    assert down.subtree_weight(7) == 0
    assert down.first_leaf(7) == 7
    down.add_weight(7, -250)
    assert down.subtree_weight(7) == -250
    assert 7 in up and len(up) == 1
    assert up.parent(7) is None and up.depth(7) == 0
    assert up.ancestor_at_depth(7, 0) == 7
    assert up.first_ancestor(7, lambda _: True) is None  # a root has no proper ancestor


def test_small_forest_aggregates() -> None:
    down, _ = build(SMALL)
    assert [down.subtree_size(n) for n in (10, 11, 12, 13, 20, 21)] == [6, 3, 2, 1, 2, 1]
    assert [down.first_leaf(n) for n in (10, 11, 12, 15, 20, 21)] == [13, 13, 15, 15, 21, 21]
    for node, cents in ((10, 1), (13, 10), (14, 100), (15, 1000), (21, 10_000), (20, 100_000)):
        down.add_weight(node, cents)
    assert down.subtree_weight(10) == 1111
    assert down.subtree_weight(11) == 110
    assert down.subtree_weight(12) == 1000
    assert down.subtree_weight(20) == 110_000  # the other root's weight does not leak
    down.add_weight(14, -100)
    assert down.subtree_weight(10) == 1011 and down.subtree_weight(14) == 0


def test_leaf_stops_being_a_leaf_when_it_gets_a_child() -> None:
    down, _ = build([(5, None), (3, 5), (9, 5)])
    assert down.first_leaf(5) == 3
    down.add_node(1, 9)  # 9 is no longer a leaf; 1 is, and it is the smallest
    assert down.first_leaf(5) == 1 and down.first_leaf(9) == 1
    down.add_node(0, 3)
    assert down.first_leaf(5) == 0 and down.first_leaf(3) == 0 and down.first_leaf(9) == 1


def test_node_ids_need_not_be_dense_or_positive() -> None:
    down, up = build([(-(1 << 63), None), (1 << 40, -(1 << 63)), (-3, 1 << 40), ((1 << 63) - 2, 1 << 40)])
    assert down.first_leaf(-(1 << 63)) == -3
    assert down.subtree_size(1 << 40) == 3
    assert up.ancestor_at_depth((1 << 63) - 2, 0) == -(1 << 63)


def test_ancestors_on_small_forest() -> None:
    _, up = build(SMALL)
    assert [up.depth(n) for n in (10, 11, 13, 15, 20, 21)] == [0, 1, 2, 2, 0, 1]
    assert up.parent(15) == 12 and up.parent(20) is None
    assert up.ancestor_at_depth(14, 0) == 10 and up.ancestor_at_depth(14, 1) == 11
    assert up.ancestor_at_depth(14, 2) == 14
    assert up.first_ancestor(13, lambda a: a in (10, 11)) == 11  # proper: 13 itself is never asked
    assert up.first_ancestor(13, lambda a: a == 10) == 10
    assert up.first_ancestor(13, lambda a: False) is None
    assert up.first_ancestor(21, lambda a: True) == 20


def test_first_ancestor_never_asks_about_the_node_itself() -> None:
    _, up = build([(0, None), (1, 0), (2, 1)])
    asked: list[int] = []
    assert up.first_ancestor(2, recording(asked, lambda a: a == 0)) == 0
    assert 2 not in asked


def test_rejections_change_nothing() -> None:
    down, up = build(SMALL)
    for index in (down, up):
        with pytest.raises(ValueError, match="already added"):
            index.add_node(13, 10)
        with pytest.raises(KeyError):
            index.add_node(99, 98)  # unknown parent
        assert 99 not in index and len(index) == len(SMALL)
    with pytest.raises(ValueError, match="64-bit"):
        down.add_node(1 << 63, None)
    with pytest.raises(ValueError, match="64-bit"):
        down.add_node((1 << 63) - 1, None)  # reserved as the "no leaf" marker
    with pytest.raises(ValueError, match="depth 3 outside 0..2"):
        up.ancestor_at_depth(13, 3)
    with pytest.raises(ValueError, match="depth -1"):
        up.ancestor_at_depth(13, -1)
    for query in (down.subtree_size, down.subtree_weight, down.first_leaf, up.depth, up.parent):
        with pytest.raises(KeyError):
            query(99)
    assert down.subtree_size(10) == 6 and down.first_leaf(10) == 13 and up.depth(15) == 2


def test_star_tree() -> None:
    edges: list[tuple[int, int | None]] = [(0, None)] + [(n, 0) for n in range(1000, 0, -1)]
    down, up = build(edges)
    assert treap_height(down) <= 6 * (2 * len(edges)).bit_length()
    assert down.subtree_size(0) == 1001 and down.first_leaf(0) == 1 and down.first_leaf(500) == 500
    assert up.first_ancestor(777, lambda a: a == 0) == 0


def test_chain_of_100k() -> None:
    began = time.process_time()
    down, up = build([(0, None)] + [(n, n - 1) for n in range(1, CHAIN)])
    assert time.process_time() - began < CHAIN_BUILD_CPU_S_MAX
    # Balanced whatever the member tree's shape: about 2 ln(2n) ~ 25 on average for 2n tokens.
    assert treap_height(down) <= 6 * (2 * CHAIN).bit_length()
    deepest = CHAIN - 1
    assert down.subtree_size(0) == CHAIN and down.subtree_size(deepest) == 1
    assert down.first_leaf(0) == deepest and down.first_leaf(CHAIN // 2) == deepest
    down.add_weight(deepest, 7)
    down.add_weight(CHAIN // 2, 5)
    assert down.subtree_weight(0) == 12 and down.subtree_weight(CHAIN // 2 + 1) == 7
    assert up.depth(deepest) == deepest
    assert up.ancestor_at_depth(deepest, 3) == 3 and up.ancestor_at_depth(deepest, deepest - 1) == deepest - 1
    for cut in (0, 1, 12_345, deepest - 1):
        asked: list[int] = []
        assert up.first_ancestor(deepest, recording(asked, cut.__ge__)) == cut
        assert len(asked) <= 4 * deepest.bit_length()  # O(log depth), not O(depth)
