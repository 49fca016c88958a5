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
    nil, root = index._nil, index._root
    assert (nil.total, nil.count, nil.node_min) == (0, 0, 2**63 - 1), "the nil sentinel's aggregates"
    if root is nil:
        assert len(index) == 0
        return 0
    assert root.parent is nil
    height, reached = 0, 0
    stack = [(root, 1)]
    while stack:  # every token hangs below the root exactly once
        t, depth = stack.pop()
        reached += 1
        height = max(height, depth)
        for child in (t.left, t.right):
            if child is not nil:
                assert child.parent is t, "parent link"
                assert child.prio <= t.prio, "heap order"
                stack.append((child, depth + 1))
        lt, rt = t.left, t.right
        assert t.total == lt.total + rt.total + t.weight
        assert t.count == lt.count + rt.count + (1 if t.is_open else 0)
        assert t.node_min == min(lt.node_min, rt.node_min, t.leaf)
    assert reached == 2 * len(index)
    return height
