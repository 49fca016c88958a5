"""Naive O(n)/O(depth) oracles for zengzhi.domain.trees (the fast versions must agree with these)."""

from __future__ import annotations

from collections.abc import Callable

from zengzhi.domain.trees import SubtreeIndex


class NaiveSubtreeIndex:
    """Subtree aggregates on a growing forest."""

    def __init__(self) -> None:
        self._parent: dict[int, int | None] = {}
        self._children: dict[int, list[int]] = {}
        self._weight: dict[int, int] = {}

    def add_node(self, node: int, parent: int | None) -> None:
        if node in self._parent:
            raise ValueError(f"node {node} already added")
        if parent is not None and parent not in self._parent:
            raise KeyError(parent)
        self._parent[node] = parent
        self._children[node] = []
        self._weight[node] = 0
        if parent is not None:
            self._children[parent].append(node)

    def __contains__(self, node: object) -> bool:
        return node in self._parent

    def __len__(self) -> int:
        return len(self._parent)

    def add_weight(self, node: int, delta_cents: int) -> None:
        self._weight[node] += delta_cents

    def _subtree(self, node: int) -> list[int]:
        out = [node]
        i = 0
        while i < len(out):
            out.extend(self._children[out[i]])
            i += 1
        return out

    def subtree_weight(self, node: int) -> int:
        return sum(self._weight[n] for n in self._subtree(node))

    def subtree_size(self, node: int) -> int:
        return len(self._subtree(node))

    def first_leaf(self, node: int) -> int:
        return min(n for n in self._subtree(node) if not self._children[n])


class NaiveAncestorIndex:
    """Ancestor search on a growing forest."""

    def __init__(self) -> None:
        self._parent: dict[int, int | None] = {}
        self._depth: dict[int, int] = {}

    def add_node(self, node: int, parent: int | None) -> None:
        if node in self._parent:
            raise ValueError(f"node {node} already added")
        depth = 0 if parent is None else self._depth[parent] + 1
        self._parent[node] = parent
        self._depth[node] = depth

    def __contains__(self, node: object) -> bool:
        return node in self._parent

    def __len__(self) -> int:
        return len(self._parent)

    def parent(self, node: int) -> int | None:
        return self._parent[node]

    def depth(self, node: int) -> int:
        return self._depth[node]

    def first_ancestor(self, node: int, pred: Callable[[int], bool]) -> int | None:
        cur = self._parent[node]
        while cur is not None:
            if pred(cur):
                return cur
            cur = self._parent[cur]
        return None

    def ancestor_at_depth(self, node: int, depth: int) -> int:
        if not 0 <= depth <= self._depth[node]:
            raise ValueError(f"depth {depth} outside 0..{self._depth[node]}")
        cur = node
        while self._depth[cur] > depth:
            parent = self._parent[cur]
            assert parent is not None
            cur = parent
        return cur


def treap_height(index: SubtreeIndex) -> int:
    """Checks the fast SubtreeIndex's internal treap (links, heap order, aggregates); returns its height.

    A white-box check: a broken heap order still answers correctly, only slowly, so the
    differential tests alone would not see it.
    """
    left, right, parent, prio = index._left, index._right, index._parent, index._prio
    tokens = len(left)
    for t in range(1, tokens):
        for child in (left[t], right[t]):
            if child:
                assert parent[child] == t, f"token {child}: parent link"
                assert prio[child] <= prio[t], f"token {child}: heap order"
        lt, rt = left[t], right[t]
        assert index._sum[t] == index._sum[lt] + index._sum[rt] + index._weight[t]
        assert index._count[t] == index._count[lt] + index._count[rt] + (t & 1)
        assert index._node_min[t] == min(index._node_min[lt], index._node_min[rt], index._leaf[t])
    if tokens == 1:
        return 0
    assert parent[index._root] == 0
    height, reached = 0, 0
    stack = [(index._root, 1)]
    while stack:  # every token hangs below the root exactly once
        t, depth = stack.pop()
        reached += 1
        height = max(height, depth)
        stack.extend((child, depth + 1) for child in (left[t], right[t]) if child)
    assert reached == tokens - 1
    return height
