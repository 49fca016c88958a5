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
O(1) per node (two token objects). Measured (``bench/trees.py``): a few µs to
~20 µs per call on a 1M-node random tree and on a 100k-deep chain alike.

Implementation notes:

* One small object per token (``_Token``: its links, priority, own values
  and subtree aggregates), linked by reference, with one shared nil
  sentinel (aggregates 0, 0 and "no leaf") for every missing link. A walk
  up the treap then reads one object per level. It was parallel lists or
  ``array('q')`` columns indexed by token before: three to six separate
  memory reads per level, which dominated the 链动 plan's cost on a large
  tree (docs/performance.md). Weights are exact, unbounded Python ints
  whatever the cents add up to.
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

_MASK64 = (1 << 64) - 1
_NO_LEAF = (1 << 63) - 1  # larger than every node id: min() ignores it
_MIN_NODE = -(1 << 63)


def _priority(token: int) -> int:
    """splitmix64 finalizer, cut to 62 bits: a fixed, well-mixed heap priority for a token index.

    62 bits keep it a small int in the compiled build (no boxed object per token).
    """
    z = (token * 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return (z ^ (z >> 31)) >> 2


class _Token:
    """One token of the Euler tour: a treap vertex with its own values and its subtree's aggregates."""

    __slots__ = ("count", "is_open", "leaf", "left", "mate", "node_min", "parent", "prio", "right",
                 "total", "weight")

    def __init__(self, prio: int, is_open: bool, leaf: int) -> None:
        self.left: _Token = self  # linked by the index (the nil sentinel links to itself)
        self.right: _Token = self
        self.parent: _Token = self
        self.mate: _Token = self  # an open token's close token
        self.prio = prio
        self.is_open = is_open
        self.weight = 0  # own weight (open tokens only)
        self.leaf = leaf  # own node id while the node is a leaf (open tokens only), else _NO_LEAF
        self.total = 0  # weight sum over the treap subtree
        self.count = 1 if is_open else 0  # open tokens in the treap subtree
        self.node_min = leaf  # min of leaf over the treap subtree


class SubtreeIndex:
    """Subtree aggregates on a growing forest; O(log n) expected per operation."""

    __slots__ = ("_last", "_nil", "_root", "_tokens", "_token")

    def __init__(self) -> None:
        nil = _Token(0, False, _NO_LEAF)  # aggregates 0, 0 and "no leaf"; every missing link is nil
        self._nil = nil
        self._root = nil  # treap root
        self._last = nil  # last token of the sequence (close token of the newest root)
        self._token: dict[int, _Token] = {}  # node -> its open token
        self._tokens = 0  # tokens made so far (their index seeds the priority)

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
            self._last = opening.mate
        elif after.leaf != _NO_LEAF:
            self._set_leaf(after, _NO_LEAF)  # the parent just got its first child

    def add_weight(self, node: int, delta_cents: int) -> None:
        """Adds ``delta_cents`` (may be negative) to the weight at ``node``."""
        t = self._token[node]
        t.weight += delta_cents
        nil = self._nil
        while t is not nil:
            t.total += delta_cents
            t = t.parent

    # ----------------------------------------------------------------- queries

    def __contains__(self, node: object) -> bool:
        return node in self._token

    def __len__(self) -> int:
        return len(self._token)

    def subtree_weight(self, node: int) -> int:
        """Sum of the weights of ``node`` and all its descendants."""
        t = self._token[node]
        if t.leaf != _NO_LEAF:
            return t.weight  # a leaf: its own weight, no walk
        # The close token carries no weight: sum[open..close] = before(close) - before(open).
        return self._weight_before(t.mate) - self._weight_before(t)

    def subtree_size(self, node: int) -> int:
        """Number of nodes in the subtree of ``node``, ``node`` included."""
        t = self._token[node]
        if t.leaf != _NO_LEAF:
            return 1
        return self._before_count(t.mate) - self._before_count(t)

    def first_leaf(self, node: int) -> int:
        """The smallest node id among the leaves of ``node``'s subtree (``node`` itself if a leaf)."""
        opening = self._token[node]
        if opening.leaf != _NO_LEAF:
            return node
        best = self._range_min(opening, opening.mate)
        assert best != _NO_LEAF  # a node with children has a leaf below it
        return best

    # ---------------------------------------------------------------- internals

    def _new_pair(self, node: int) -> _Token:
        """A node's two tokens, detached; returns the open one (its ``mate`` is the close one)."""
        index = self._tokens + 1  # token indices 1, 2, … as before: the same priorities, the same treap
        self._tokens += 2
        nil = self._nil
        opening = _Token(_priority(index), True, node)
        closing = _Token(_priority(index + 1), False, _NO_LEAF)
        for t in (opening, closing):
            t.left = t.right = t.parent = t.mate = nil
        opening.mate = closing
        return opening

    def _insert_pair_after(self, after: _Token, opening: _Token) -> None:
        """Links a new node's tokens (from ``_new_pair``) right after token ``after`` (nil: empty treap).

        Each token goes in as a treap leaf and rotates up while its priority beats its
        parent's: rotating anything but a fresh leaf could break the heap order (and the
        balance). Only the open token changes aggregates (count 1 and its leaf value): one
        walk adds them to its ancestors *before* the rotations, so that each rotation only
        hands the old parent's unchanged aggregates to the token. The close token adds
        nothing, so it needs no walk at all.
        """
        nil = self._nil
        if after is nil:
            self._root = opening
        else:
            self._link_after(after, opening)
            leaf = opening.node_min
            u = opening.parent
            while u is not nil:
                u.count += 1
                if leaf < u.node_min:
                    u.node_min = leaf
                u = u.parent
            self._rise(opening)
        self._link_after(opening, opening.mate)
        self._rise(opening.mate)

    def _link_after(self, after: _Token, t: _Token) -> None:
        """Hangs detached token ``t`` as a treap leaf at the position right after token ``after``."""
        nil = self._nil
        u = after.right
        if u is nil:
            after.right = t
            t.parent = after
            return
        while u.left is not nil:
            u = u.left
        u.left = t
        t.parent = u

    def _rise(self, t: _Token) -> None:
        """Rotates a token that entered as a treap leaf up until the heap order holds again."""
        nil = self._nil
        while t.parent is not nil and t.parent.prio < t.prio:
            self._rotate_up(t)

    def _rotate_up(self, t: _Token) -> None:
        """Rotates ``t`` above its parent ``p``; t takes over p's (unchanged) subtree aggregates."""
        nil = self._nil
        p = t.parent
        g = p.parent
        if p.left is t:
            b = t.right
            p.left = b
            t.right = p
        else:
            b = t.left
            p.right = b
            t.left = p
        if b is not nil:
            b.parent = p
        p.parent = t
        t.parent = g
        if g is nil:
            self._root = t
        elif g.left is p:
            g.left = t
        else:
            g.right = t
        t.total, t.count, t.node_min = p.total, p.count, p.node_min
        lp, rp = p.left, p.right
        p.total = lp.total + rp.total + p.weight
        p.count = lp.count + rp.count + (1 if p.is_open else 0)
        p.node_min = min(lp.node_min, rp.node_min, p.leaf)

    def _set_leaf(self, t: _Token, leaf: int) -> None:
        """Point update of an open token's own leaf value; stops once an ancestor's min is unchanged."""
        t.leaf = leaf
        # Not a delta walk like add_weight: a min cannot be "un-minned", so recompute upwards.
        nil = self._nil
        while t is not nil:
            new = min(t.left.node_min, t.right.node_min, t.leaf)
            if new == t.node_min:
                return
            t.node_min = new
            t = t.parent

    def _weight_before(self, t: _Token) -> int:
        """Sum of the weights of the tokens strictly before ``t`` in the sequence."""
        nil = self._nil
        acc = t.left.total
        p = t.parent
        while p is not nil:
            if p.right is t:
                acc += p.left.total + p.weight
            t = p
            p = t.parent
        return acc

    def _before_count(self, t: _Token) -> int:
        """Number of open tokens strictly before ``t`` in the sequence."""
        nil = self._nil
        acc = t.left.count
        p = t.parent
        while p is not nil:
            if p.right is t:
                acc += p.left.count + (1 if p.is_open else 0)
            t = p
            p = t.parent
        return acc

    def _range_min(self, lo: _Token, hi: _Token) -> int:
        """Min of the leaf values over the tokens from ``lo`` to ``hi`` (``lo`` before ``hi``), inclusive."""
        nil = self._nil
        above_lo: set[int] = set()  # ids of lo and its treap ancestors
        u = lo
        while u is not nil:
            above_lo.add(id(u))
            u = u.parent
        top = hi  # the lowest common treap ancestor of lo and hi
        while id(top) not in above_lo:
            top = top.parent
        best = top.leaf
        if lo is not top:  # lo and what follows it inside the left subtree of top
            best = min(best, lo.leaf, lo.right.node_min)
            u = lo
            while u.parent is not top:
                p = u.parent
                if p.left is u:
                    best = min(best, p.leaf, p.right.node_min)
                u = p
        if hi is not top:  # hi and what precedes it inside the right subtree of top
            best = min(best, hi.leaf, hi.left.node_min)
            u = hi
            while u.parent is not top:
                p = u.parent
                if p.right is u:
                    best = min(best, p.leaf, p.left.node_min)
                u = p
        return best
