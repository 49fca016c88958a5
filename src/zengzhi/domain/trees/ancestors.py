"""Ancestor search on a growing forest with skew-binary jump pointers (Myers 1983).

Nodes are ints (a member's ``join_seq``) added only as leaves; a node's parent
is fixed when it is added. Each node stores its parent, its depth and ONE jump
pointer, chosen when the node is added::

    jump(n) = jump(jump(p))  if depth(p) - depth(jump(p)) == depth(jump(p)) - depth(jump(jump(p)))
              p              otherwise                       (p = parent(n); a root jumps to itself)

The jump lengths along any root path follow the skew-binary number system
(lengths 2**k - 1), so a search that takes the jump whenever it does not
overshoot and otherwise steps to the parent reaches any ancestor in
O(log depth) steps. Why this and not binary lifting: binary lifting needs
O(log depth) pointers per node (17 for a 100k chain); this needs one, and
``add_node`` is O(1).

* ``add_node``, ``parent``, ``depth``: O(1); memory O(1) per node (three
  dict entries, about 190 bytes).
* ``ancestor_at_depth``: O(log depth) steps.
* ``first_ancestor(node, pred)``: the nearest proper ancestor with ``pred``
  True, for ``pred`` monotone along the path (False ... False True ... True
  going up). It follows the same path as ``ancestor_at_depth`` towards the
  (unknown) answer: at most two ``pred`` calls per step, O(log depth) in all.
  A non-monotone ``pred`` gives *some* ancestor where ``pred`` is True whose
  child on the path has ``pred`` False (or the parent), not necessarily the nearest.

No recursion: a 100k-deep chain costs the same stack as a single node.
"""

from __future__ import annotations

from collections.abc import Callable


class AncestorIndex:
    """Ancestor search; O(log depth) predicate calls, O(1) memory per node."""

    __slots__ = ("_depth", "_jump", "_parent")

    def __init__(self) -> None:
        self._parent: dict[int, int | None] = {}
        self._jump: dict[int, int] = {}
        self._depth: dict[int, int] = {}

    def add_node(self, node: int, parent: int | None) -> None:
        """Adds ``node`` as a new leaf under ``parent`` (already added), or as a root (None)."""
        if node in self._depth:
            raise ValueError(f"node {node} already added")
        if parent is None:
            self._parent[node] = None
            self._jump[node] = node
            self._depth[node] = 0
            return
        depth = self._depth[parent] + 1  # KeyError (and no change) for an unknown parent
        jump = self._jump
        jp = jump[parent]
        jjp = jump[jp]
        dep = self._depth
        self._parent[node] = parent
        jump[node] = jjp if dep[parent] - dep[jp] == dep[jp] - dep[jjp] else parent
        dep[node] = depth

    def __contains__(self, node: object) -> bool:
        return node in self._depth

    def __len__(self) -> int:
        return len(self._depth)

    def parent(self, node: int) -> int | None:
        return self._parent[node]

    def depth(self, node: int) -> int:
        """Number of edges to the root (a root: 0)."""
        return self._depth[node]

    def first_ancestor(self, node: int, pred: Callable[[int], bool]) -> int | None:
        """The nearest proper ancestor ``a`` of ``node`` with ``pred(a)``; None if none.

        ``pred`` must be monotone along the path up (once True, True for every
        ancestor above); it is called O(log depth) times.
        """
        parent = self._parent
        x = parent[node]
        if x is None or pred(x):
            return x
        jump = self._jump
        while True:
            # Invariant: pred(x) is False, so the answer (if any) is above x.
            p = parent[x]
            if p is None:
                return None
            j = jump[x]
            if j != p and not pred(j):
                x = j  # still False at j: skip the whole jump
                continue
            # pred(j) is True (or j is p): the answer is between p and j; step up by one.
            if pred(p):
                return p
            x = p

    def ancestor_at_depth(self, node: int, depth: int) -> int:
        """The ancestor of ``node`` (``node`` itself included) at ``depth`` (0 = the root)."""
        dep = self._depth
        if not 0 <= depth <= dep[node]:
            raise ValueError(f"depth {depth} outside 0..{dep[node]}")
        jump, parent = self._jump, self._parent
        x = node
        while dep[x] != depth:
            j = jump[x]
            if dep[j] >= depth:
                x = j
            else:
                p = parent[x]
                assert p is not None  # depth(x) > depth >= 0, so x is not a root
                x = p
        return x
