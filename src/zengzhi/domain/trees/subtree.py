"""Subtree aggregates on a growing forest: an Euler tour kept in a treap with parent pointers.

Nodes are ints (a member's ``join_seq``) added only as leaves; a node's parent
is fixed when it is added. Each node owns two tokens of one global sequence,
an *open* and a *close* token, and a node's subtree is exactly the tokens
between its open and close tokens (the Euler tour). A new leaf's two tokens go
right after its parent's open token; a new root's go at the end of the sequence.

The sequence is a treap (a binary search tree by position, a heap by a fixed
pseudo-random priority), so its height is O(log n) in expectation whatever
the shape of the member tree: a 100k-deep sponsor chain is as cheap as a
flat one. Every treap vertex (token) keeps aggregates of its treap subtree:

* ``weight`` sum (only open tokens carry weight),
* ``count`` of open tokens (= number of member-tree nodes),
* ``leaf_min``: the smallest node id among open tokens of nodes that are
  currently leaves. A node stops being a leaf when it gets its first child:
  a point update.

Queries use the parent pointers, no split/merge: ``subtree_weight`` and
``subtree_size`` are a difference of two prefix sums (a walk up from each of
the two tokens); ``first_leaf`` is a range minimum over the O(log n) treap
subtrees that hang between the two tokens and their lowest common treap ancestor.

Complexity (expected, n = nodes): ``add_node`` O(log n) (insertion walk plus
O(1) expected rotations), ``add_weight`` O(log n), ``subtree_weight`` /
``subtree_size`` / ``first_leaf`` O(log n); memory O(1) per node.

Implementation notes (why it looks like C):

* The treap lives in flat parallel lists indexed by token (token 0 is the
  nil sentinel whose aggregates are 0, 0 and "no leaf"), which is several
  times faster and smaller in CPython than one object per vertex.
* Priorities come from a fixed integer hash of the token index (splitmix64),
  not from ``random``: the domain is deterministic and must not import it.
  Token indices are assigned by insertion order, not chosen by users, so the
  expected-height bound holds for any member tree.
* No recursion anywhere: every walk is a loop.
* Node ids must fit in a signed 64-bit int (join_seq does); the largest one
  is reserved as the "no leaf" marker.
"""

from __future__ import annotations

_MASK64 = (1 << 64) - 1
_NO_LEAF = (1 << 63) - 1  # larger than every node id: min() ignores it
_MIN_NODE = -(1 << 63)


def _priority(token: int) -> int:
    """splitmix64 finalizer: a fixed, well-mixed heap priority for a token index."""
    z = (token * 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


class SubtreeIndex:
    """Subtree aggregates on a growing forest; O(log n) expected per operation."""

    __slots__ = ("_count", "_last", "_left", "_leaf", "_node_min", "_parent", "_prio",
                 "_right", "_root", "_sum", "_token", "_weight")

    def __init__(self) -> None:
        # Per token (index 0 = nil sentinel). Open token of the k-th node added: 2k+1, close: 2k+2.
        self._left: list[int] = [0]
        self._right: list[int] = [0]
        self._parent: list[int] = [0]
        self._prio: list[int] = [0]
        self._weight: list[int] = [0]  # own weight (open tokens only)
        self._leaf: list[int] = [_NO_LEAF]  # own node id while the node is a leaf (open tokens only)
        self._sum: list[int] = [0]  # weight sum over the treap subtree
        self._count: list[int] = [0]  # open tokens in the treap subtree
        self._node_min: list[int] = [_NO_LEAF]  # min of _leaf over the treap subtree
        self._token: dict[int, int] = {}  # node -> its open token
        self._root = 0  # treap root token
        self._last = 0  # last token of the sequence (close token of the newest root)

    # ----------------------------------------------------------------- updates

    def add_node(self, node: int, parent: int | None) -> None:
        """Adds ``node`` as a new leaf under ``parent`` (already added), or as a root (None)."""
        if node in self._token:
            raise ValueError(f"node {node} already added")
        if not _MIN_NODE <= node < _NO_LEAF:
            raise ValueError(f"node {node} does not fit in a signed 64-bit int")
        if parent is None:
            after = self._last
        else:
            after = self._token[parent]  # KeyError (and no change) for an unknown parent
        opening = self._new_token(node)
        closing = self._new_token(None)
        self._token[node] = opening
        self._insert_after(after, opening)
        self._insert_after(opening, closing)
        if parent is None:
            self._last = closing
        elif self._leaf[after] != _NO_LEAF:
            self._set_leaf(after, _NO_LEAF)  # the parent just got its first child

    def add_weight(self, node: int, delta_cents: int) -> None:
        """Adds ``delta_cents`` (may be negative) to the weight at ``node``."""
        t = self._token[node]
        self._weight[t] += delta_cents
        total, parent = self._sum, self._parent
        while t:
            total[t] += delta_cents
            t = parent[t]

    # ----------------------------------------------------------------- queries

    def __contains__(self, node: object) -> bool:
        return node in self._token

    def __len__(self) -> int:
        return len(self._token)

    def subtree_weight(self, node: int) -> int:
        """Sum of the weights of ``node`` and all its descendants."""
        t = self._token[node]
        # Close token t+1 carries no weight: sum[open..close] = before(close) - before(open).
        return self._before(t + 1, self._sum, self._weight) - self._before(t, self._sum, self._weight)

    def subtree_size(self, node: int) -> int:
        """Number of nodes in the subtree of ``node``, ``node`` included."""
        t = self._token[node]
        return self._before_count(t + 1) - self._before_count(t)

    def first_leaf(self, node: int) -> int:
        """The smallest node id among the leaves of ``node``'s subtree (``node`` itself if a leaf)."""
        opening = self._token[node]
        if self._leaf[opening] != _NO_LEAF:
            return node
        best = self._range_min(opening, opening + 1)
        assert best != _NO_LEAF  # a node with children has a leaf below it
        return best

    # ---------------------------------------------------------------- internals

    def _new_token(self, node: int | None) -> int:
        """Appends a detached token (an open token when ``node`` is given, else a close token)."""
        t = len(self._left)
        leaf = _NO_LEAF if node is None else node
        self._left.append(0)
        self._right.append(0)
        self._parent.append(0)
        self._prio.append(_priority(t))
        self._weight.append(0)
        self._leaf.append(leaf)
        self._sum.append(0)
        self._count.append(0 if node is None else 1)
        self._node_min.append(leaf)
        return t

    def _insert_after(self, after: int, t: int) -> None:
        """Links detached token ``t`` right after token ``after`` (0: into an empty treap)."""
        left, right, parent = self._left, self._right, self._parent
        if after == 0:
            self._root = t
            return
        if right[after] == 0:
            right[after] = t
            parent[t] = after
        else:
            u = right[after]
            while left[u]:
                u = left[u]
            left[u] = t
            parent[t] = u
        # t's weight is 0 and the sums unchanged; add its count and leaf to every ancestor first,
        # so that each rotation below only has to hand the old parent's aggregates to t.
        count, node_min = self._count, self._node_min
        c, leaf = count[t], node_min[t]
        u = parent[t]
        while u:
            count[u] += c
            if leaf < node_min[u]:
                node_min[u] = leaf
            u = parent[u]
        prio = self._prio
        while parent[t] and prio[parent[t]] < prio[t]:
            self._rotate_up(t)

    def _rotate_up(self, t: int) -> None:
        """Rotates ``t`` above its parent ``p``; t takes over p's (unchanged) subtree aggregates."""
        left, right, parent = self._left, self._right, self._parent
        p = parent[t]
        g = parent[p]
        if left[p] == t:
            b = right[t]
            left[p] = b
            right[t] = p
        else:
            b = left[t]
            right[p] = b
            left[t] = p
        parent[b] = p  # harmless on the nil sentinel: its parent is never read
        parent[p] = t
        parent[t] = g
        if g == 0:
            self._root = t
        elif left[g] == p:
            left[g] = t
        else:
            right[g] = t
        total, count, node_min = self._sum, self._count, self._node_min
        total[t], count[t], node_min[t] = total[p], count[p], node_min[p]
        lp, rp = left[p], right[p]
        total[p] = total[lp] + total[rp] + self._weight[p]
        count[p] = count[lp] + count[rp] + (p & 1)  # open tokens are the odd ones
        node_min[p] = min(node_min[lp], node_min[rp], self._leaf[p])

    def _set_leaf(self, t: int, leaf: int) -> None:
        """Point update of an open token's own leaf value; stops once an ancestor's min is unchanged."""
        self._leaf[t] = leaf
        left, right, parent, own, node_min = self._left, self._right, self._parent, self._leaf, self._node_min
        while t:
            new = min(node_min[left[t]], node_min[right[t]], own[t])
            if new == node_min[t]:
                return
            node_min[t] = new
            t = parent[t]

    def _before(self, t: int, agg: list[int], own: list[int]) -> int:
        """Sum of ``own`` over the tokens strictly before ``t`` in the sequence."""
        left, right, parent = self._left, self._right, self._parent
        acc = agg[left[t]]
        p = parent[t]
        while p:
            if right[p] == t:
                acc += agg[left[p]] + own[p]
            t = p
            p = parent[t]
        return acc

    def _before_count(self, t: int) -> int:
        """Number of open tokens strictly before ``t`` in the sequence."""
        left, right, parent, count = self._left, self._right, self._parent, self._count
        acc = count[left[t]]
        p = parent[t]
        while p:
            if right[p] == t:
                acc += count[left[p]] + (p & 1)
            t = p
            p = parent[t]
        return acc

    def _range_min(self, lo: int, hi: int) -> int:
        """Min of the leaf values over the tokens from ``lo`` to ``hi`` (``lo`` before ``hi``), inclusive."""
        left, right, parent, own, node_min = self._left, self._right, self._parent, self._leaf, self._node_min
        above_lo = set()
        u = lo
        while u:
            above_lo.add(u)
            u = parent[u]
        top = hi  # the lowest common treap ancestor of lo and hi
        while top not in above_lo:
            top = parent[top]
        best = own[top]
        if lo != top:  # lo and what follows it inside the left subtree of top
            best = min(best, own[lo], node_min[right[lo]])
            u = lo
            while parent[u] != top:
                p = parent[u]
                if left[p] == u:
                    best = min(best, own[p], node_min[right[p]])
                u = p
        if hi != top:  # hi and what precedes it inside the right subtree of top
            best = min(best, own[hi], node_min[left[hi]])
            u = hi
            while parent[u] != top:
                p = parent[u]
                if right[p] == u:
                    best = min(best, own[p], node_min[left[p]])
                u = p
        return best
