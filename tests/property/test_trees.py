"""Differential tests: the fast tree indices against the naive oracles in ``tests.trees_naive``.

Two drivers, both at the profile's example counts (``HYPOTHESIS_PROFILE``):

* a stateful machine that interleaves node additions (new roots and new
  leaves under any node), weight changes and every query, comparing each
  answer with the oracle as it goes;
* a ``@given`` test that builds a whole random forest first (bigger trees and
  deep paths, where treap rotations and long jump chains actually happen) and
  then checks every query on every node, including ``first_ancestor`` with a
  monotone predicate whose calls are counted.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.trees_naive import NaiveAncestorIndex, NaiveSubtreeIndex, treap_height
from zengzhi.domain.trees import AncestorIndex, SubtreeIndex

NODE_IDS = st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 2)
WEIGHTS = st.integers(min_value=-10**15, max_value=10**15)


def monotone_pred(naive: NaiveAncestorIndex, cut: int, calls: list[int]) -> Callable[[int], bool]:
    """True on nodes at depth < ``cut`` (monotone going up); counts its calls."""
    def pred(candidate: int) -> bool:
        calls.append(candidate)
        return naive.depth(candidate) < cut
    return pred


def log2_bound(depth: int) -> int:
    """A generous O(log depth) bound on predicate calls for one search."""
    return 4 * (depth.bit_length() + 1)


class TreesMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.subtree, self.subtree_oracle = SubtreeIndex(), NaiveSubtreeIndex()
        self.ancestors, self.ancestors_oracle = AncestorIndex(), NaiveAncestorIndex()
        self.nodes: list[int] = []
        self.next_chain_id = 0

    def add(self, node: int, parent: int | None) -> None:
        self.subtree.add_node(node, parent)
        self.subtree_oracle.add_node(node, parent)
        self.ancestors.add_node(node, parent)
        self.ancestors_oracle.add_node(node, parent)
        self.nodes.append(node)

    @rule(node=NODE_IDS)
    def add_root(self, node: int) -> None:
        if node not in self.subtree_oracle:
            self.add(node, None)

    @precondition(lambda self: self.nodes)
    @rule(node=NODE_IDS, pick=st.integers(min_value=0))
    def add_leaf(self, node: int, pick: int) -> None:
        if node not in self.subtree_oracle:
            self.add(node, self.nodes[pick % len(self.nodes)])

    @precondition(lambda self: self.nodes)
    @rule(pick=st.integers(min_value=0), chain=st.integers(min_value=1, max_value=30))
    def add_chain(self, pick: int, chain: int) -> None:
        """A run of leaves each under the previous one: deep paths within few steps."""
        parent = self.nodes[pick % len(self.nodes)]
        for _ in range(chain):
            while self.next_chain_id in self.subtree_oracle:
                self.next_chain_id += 1
            node = self.next_chain_id
            self.add(node, parent)
            parent = node

    @precondition(lambda self: self.nodes)
    @rule(pick=st.integers(min_value=0), delta=WEIGHTS)
    def add_weight(self, pick: int, delta: int) -> None:
        node = self.nodes[pick % len(self.nodes)]
        self.subtree.add_weight(node, delta)
        self.subtree_oracle.add_weight(node, delta)

    @precondition(lambda self: self.nodes)
    @rule(pick=st.integers(min_value=0), cut=st.integers(min_value=0))
    def ancestor_queries(self, pick: int, cut: int) -> None:
        node = self.nodes[pick % len(self.nodes)]
        depth = self.ancestors_oracle.depth(node)
        assert self.ancestors.depth(node) == depth
        assert self.ancestors.parent(node) == self.ancestors_oracle.parent(node)
        target = cut % (depth + 1)
        assert self.ancestors.ancestor_at_depth(node, target) == self.ancestors_oracle.ancestor_at_depth(node, target)
        calls: list[int] = []
        cut_depth = cut % (depth + 2)
        oracle = self.ancestors_oracle
        got = self.ancestors.first_ancestor(node, monotone_pred(oracle, cut_depth, calls))
        assert got == oracle.first_ancestor(node, monotone_pred(oracle, cut_depth, []))
        assert len(calls) <= log2_bound(depth)

    @invariant()
    def subtree_queries_agree(self) -> None:
        treap_height(self.subtree)
        assert len(self.subtree) == len(self.subtree_oracle)
        for node in self.nodes:
            assert node in self.subtree
            assert self.subtree.subtree_weight(node) == self.subtree_oracle.subtree_weight(node)
            assert self.subtree.subtree_size(node) == self.subtree_oracle.subtree_size(node)
            assert self.subtree.first_leaf(node) == self.subtree_oracle.first_leaf(node)


TestTreesMachine = TreesMachine.TestCase


@st.composite
def forests(draw: st.DrawFn) -> list[tuple[int, int | None]]:
    """(node, parent) pairs in insertion order: roots, random leaves and long chains mixed."""
    size = draw(st.integers(min_value=1, max_value=400))
    deep = draw(st.floats(min_value=0.0, max_value=1.0))  # chance of hanging a node under the newest one
    ids = draw(st.permutations(range(size)))
    edges: list[tuple[int, int | None]] = [(ids[0], None)]
    for i in range(1, size):
        choice = draw(st.integers(min_value=0, max_value=99))
        if choice < 3:
            parent: int | None = None
        elif choice < 3 + int(deep * 97):
            parent = ids[i - 1]
        else:
            parent = ids[draw(st.integers(min_value=0, max_value=i - 1))]
        edges.append((ids[i], parent))
    return edges


@given(forests(), st.lists(st.tuples(st.integers(min_value=0), WEIGHTS), max_size=50))
def test_whole_forest_agrees_with_oracle(edges: list[tuple[int, int | None]], weights: list[tuple[int, int]]) -> None:
    fast, naive = SubtreeIndex(), NaiveSubtreeIndex()
    fast_up, naive_up = AncestorIndex(), NaiveAncestorIndex()
    for node, parent in edges:
        fast.add_node(node, parent)
        naive.add_node(node, parent)
        fast_up.add_node(node, parent)
        naive_up.add_node(node, parent)
    for pick, delta in weights:
        node = edges[pick % len(edges)][0]
        fast.add_weight(node, delta)
        naive.add_weight(node, delta)
    treap_height(fast)
    for node, _ in edges:
        assert fast.subtree_weight(node) == naive.subtree_weight(node)
        assert fast.subtree_size(node) == naive.subtree_size(node)
        assert fast.first_leaf(node) == naive.first_leaf(node)
        depth = naive_up.depth(node)
        assert fast_up.depth(node) == depth
        for target in {0, depth // 2, depth}:
            assert fast_up.ancestor_at_depth(node, target) == naive_up.ancestor_at_depth(node, target)
        for cut in {0, 1, depth // 3, depth // 2, depth, depth + 1}:
            calls: list[int] = []
            got = fast_up.first_ancestor(node, monotone_pred(naive_up, cut, calls))
            assert got == naive_up.first_ancestor(node, monotone_pred(naive_up, cut, []))
            assert len(calls) <= log2_bound(depth)
