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

Updates: ``add_node`` hangs each of the two tokens in as a treap leaf at its
position (the successor slot of the token before it) and rotates it up while
its priority beats its parent's, as in a plain treap insert; the open token's
count and leaf value are added to its treap ancestors in one walk before the
rotations, so a rotation only hands the parent's aggregates to the child.
``add_weight`` adds the delta on the walk from the open token to the treap root.

Complexity (expected, n = nodes, over the hash priorities, for ANY member-tree
shape): ``add_node`` O(log n) (two O(log n) walks, fewer than two rotations
per token on average), ``add_weight`` O(log n), ``subtree_weight`` /
``subtree_size`` / ``first_leaf`` O(log n), and O(1) for a leaf; memory
O(1) per node (about 250 bytes). Measured (``bench/trees.py``): a few µs to
~20 µs per call on a 1M-node random tree and on a 100k-deep chain alike.

Implementation notes (why it looks like C):

* The treap lives in flat parallel columns indexed by token (token 0 is
  the nil sentinel, whose aggregates are 0, 0 and "no leaf"): several times
  faster and smaller in CPython than one object per vertex. The columns are
  lists, not ``array('q')``: an array boxes a new int on every read, which
  costs the compiled build (docs/performance.md) about 10% of a settled
  order with every plan, for about 4% more memory in ``bench plans``; only
  the 64-bit priorities stay in an ``array('Q')``. Weights are exact,
  unbounded Python ints whatever the cents add up to.
* Priorities come from a fixed integer hash of the token index (splitmix64),
  not from ``random``: the domain is deterministic and must not import it.
  Token indices are assigned by insertion order, not chosen by users, so the
  expected-height bound holds for any member tree (the tests check the heap
  order and the height of a 100k-deep chain's treap).
* No recursion anywhere: every walk is a loop.
* Node ids must fit in a signed 64-bit int (join_seq does); the largest one
  is reserved as the "no leaf" marker.
"""

from __future__ import annotations

from array import array

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
        self._prio = array("Q", [0])  # 64-bit values: as ints they would be a big object each
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
        opening = self._new_pair(node)
        self._token[node] = opening
        self._insert_pair_after(after, opening)
        if parent is None:
            self._last = opening + 1
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
        if self._leaf[t] != _NO_LEAF:
            return self._weight[t]  # a leaf: its own weight, no walk
        # Close token t+1 carries no weight: sum[open..close] = before(close) - before(open).
        return self._weight_before(t + 1) - self._weight_before(t)

    def subtree_size(self, node: int) -> int:
        """Number of nodes in the subtree of ``node``, ``node`` included."""
        t = self._token[node]
        if self._leaf[t] != _NO_LEAF:
            return 1
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

    def _new_pair(self, node: int) -> int:
        """Appends a node's two tokens, detached; returns the open one (the close one is next)."""
        opening = len(self._left)
        self._left.extend((0, 0))
        self._right.extend((0, 0))
        self._parent.extend((0, 0))
        self._prio.extend((_priority(opening), _priority(opening + 1)))
        self._weight.extend((0, 0))
        self._leaf.extend((node, _NO_LEAF))
        self._sum.extend((0, 0))
        self._count.extend((1, 0))
        self._node_min.extend((node, _NO_LEAF))
        return opening

    def _insert_pair_after(self, after: int, opening: int) -> None:
        """Links a new node's tokens (from ``_new_pair``) right after token ``after`` (0: empty treap).

        Each token goes in as a treap leaf and rotates up while its priority beats its
        parent's: rotating anything but a fresh leaf could break the heap order (and the
        balance). Only the open token changes aggregates (count 1 and its leaf value): one
        walk adds them to its ancestors *before* the rotations, so that each rotation only
        hands the old parent's unchanged aggregates to the token. The close token adds
        nothing, so it needs no walk at all.
        """
        parent, count, node_min = self._parent, self._count, self._node_min
        if after == 0:
            self._root = opening
        else:
            self._link_after(after, opening)
            leaf = node_min[opening]
            u = parent[opening]
            while u:
                count[u] += 1
                if leaf < node_min[u]:
                    node_min[u] = leaf
                u = parent[u]
            self._rise(opening)
        self._link_after(opening, opening + 1)
        self._rise(opening + 1)

    def _link_after(self, after: int, t: int) -> None:
        """Hangs detached token ``t`` as a treap leaf at the position right after token ``after``."""
        left, right, parent = self._left, self._right, self._parent
        u = right[after]
        if u == 0:
            right[after] = t
            parent[t] = after
            return
        while left[u]:
            u = left[u]
        left[u] = t
        parent[t] = u

    def _rise(self, t: int) -> None:
        """Rotates a token that entered as a treap leaf up until the heap order holds again."""
        parent, prio = self._parent, self._prio
        pt = prio[t]
        while parent[t] and prio[parent[t]] < pt:
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
        # Not a delta walk like add_weight: a min cannot be "un-minned", so recompute upwards.
        left, right, parent, own, node_min = self._left, self._right, self._parent, self._leaf, self._node_min
        while t:
            new = min(node_min[left[t]], node_min[right[t]], own[t])
            if new == node_min[t]:
                return
            node_min[t] = new
            t = parent[t]

    def _weight_before(self, t: int) -> int:
        """Sum of the weights of the tokens strictly before ``t`` in the sequence."""
        left, right, parent, total, own = self._left, self._right, self._parent, self._sum, self._weight
        acc = total[left[t]]
        p = parent[t]
        while p:
            if right[p] == t:
                acc += total[left[p]] + own[p]
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
