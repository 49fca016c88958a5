"""Rank search up a growing sponsor forest without walking the whole chain (级差 ranks index).

The 级差奖 walk asks, again and again: "which is the nearest ancestor (or the
node itself) whose rank is above ``h``?". A member's rank is the highest level
it has reached by any of:

* umbrella volume alone (伞下业绩, the settled order amounts of its proper
  descendants) — a *volume level*;
* a direct-recruit count, with or without a volume threshold — a *gated
  level* (the count is kept by the plan, which marks the gate here);
* an explicit rank: bought with a pack or set by an operator (设置等级).

Ranks never fall: volume, counts and explicit ranks only grow, so the rank is
computed when asked (lazily) and is the same as if it were updated eagerly.

Structure: the forest is cut into *paths*. A node's first child extends the
node's path; later children start new paths, whose head remembers its parent
— except when the node's next on its path is still a leaf (a recruit who
recruited nobody): that leaf moves to a path of its own and the new child
continues the line. A chain is one path, and so is a line whose members each
first recruit a dud; a random recursive tree has short paths. Per path:

* a Fenwick tree over the path positions (0 = head). An order by ``v`` adds its
  amount at the position of ``v``'s parent on ``v``'s path, and at the entry
  position of every path above (the node where the path above was left):
  ``umbrella(position j) = total - prefix(j)`` (everything entered at or below
  ``j``). Going up a path, umbrella volume never decreases, so "the lowest
  position with umbrella >= T" is one Fenwick descent;
* for each level ``L``: the sorted positions of nodes whose explicit rank is
  ``>= L``; for each gate: the sorted positions of nodes whose count passed the
  gate. A bisect finds the lowest such position at or above a start.

Costs, with ``H`` = the number of paths met going up (path switches: edges
into a child that is not the continuation of its parent's path; 1 on a chain,
about half the depth on a random recursive tree): adding an order is
O(H log n); a rank search is O(H (log n + K log n)) for K levels; adding a
node is O(log n). H is O(depth) only on an adversarial tree whose lines
continue through a later recruit while the earlier one has recruits of its
own (e.g. each line member's first recruit recruits one dud). No recursion.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass

NONE = -1  # "no node" / "no position"


@dataclass(frozen=True, slots=True)
class Gate:
    """A gated level: reached when the plan marked the gate and umbrella >= ``volume_cents``."""

    level: int
    volume_cents: int


class _Path:
    """One path of the decomposition: its nodes, Fenwick tree, total, the head's parent and marks.

    One object per path keeps what a search reads at a path switch together
    (one object, not five parallel lists).
    """

    __slots__ = ("fen", "head_parent", "marks", "nodes", "total")

    def __init__(self, head_parent: int) -> None:
        self.nodes: list[int] = []
        self.fen: list[int] = [0]  # 1-based Fenwick tree of the amounts entered at each position
        self.total = 0
        self.head_parent = head_parent  # NONE for a root's path
        # mark key -> sorted positions (level L: explicit >= L; levels + 1 + g: gate g); None: no marks
        self.marks: dict[int, list[int]] | None = None

    def marks_for_update(self) -> dict[int, list[int]]:
        if self.marks is None:
            self.marks = {}
        return self.marks


class RankIndex:
    """Ranks 1..``levels`` (0: no rank) of the nodes 0, 1, 2 … of a forest grown by leaves."""

    __slots__ = ("_explicit", "_gated", "_gates", "_idx", "_levels", "_path", "_volume_from", "_volume_levels")

    def __init__(self, levels: int, volume_levels: tuple[tuple[int, int], ...], gates: tuple[Gate, ...]) -> None:
        """``volume_levels``: (level, threshold cents) reached by umbrella volume alone."""
        self._levels = levels
        # highest first: the first threshold met is the level reached
        self._volume_levels = tuple(sorted(volume_levels, reverse=True))
        # _volume_from[h]: the lowest volume threshold of a volume level above h (None: none)
        self._volume_from: tuple[int | None, ...] = tuple(
            min((t for lv, t in volume_levels if lv > h), default=None) for h in range(levels + 1))
        self._gates = gates
        # per node
        self._path: list[_Path] = []
        self._idx: list[int] = []
        self._explicit: list[int] = []
        self._gated: list[int] = []  # bit g set: gate g marked

    # ------------------------------------------------------------------ growth

    def add_node(self, node: int, parent: int | None) -> None:
        """Adds ``node`` (the next integer) as a leaf under ``parent``, or as a root."""
        assert node == len(self._path), "nodes are added densely, in order"
        if parent is not None:
            parent_path = self._path[parent]
            if self._idx[parent] == len(parent_path.nodes) - 2:
                self._evict_tail(parent_path)  # the parent's next is a leaf: the new child takes its place
        if parent is not None and self._idx[parent] == len(self._path[parent].nodes) - 1:
            path = self._path[parent]  # the parent is the tail of its path: extend it
        else:
            path = _Path(NONE if parent is None else parent)
        nodes, fen = path.nodes, path.fen
        self._path.append(path)
        self._idx.append(len(nodes))
        self._explicit.append(0)
        self._gated.append(0)
        nodes.append(node)
        fen.append(_fenwick_new_slot(fen))

    def _evict_tail(self, path: _Path) -> None:
        """Moves the tail of ``path`` (always a leaf: a tail's first child extends the path) to a path of its own.

        Why: a member whose first recruit never recruits (a dud) would otherwise
        make every later line below it a new path (a "broom" costs a path hop per
        level). The tail's slot holds nothing (amounts enter a position from
        below it, and a leaf has nothing below), so dropping the last Fenwick
        slot keeps the others exact; the tail's marks, the last in each list, move.
        """
        nodes = path.nodes
        tail = nodes.pop()
        path.fen.pop()
        own = _Path(nodes[-1])
        own.nodes.append(tail)
        own.fen.append(0)
        self._path[tail] = own
        self._idx[tail] = 0
        marks = path.marks
        if marks:
            position = len(nodes)  # the tail's old position
            moved = {key: [0] for key, positions in marks.items() if positions and positions[-1] == position}
            for key in moved:
                marks[key].pop()
            if moved:
                own.marks = moved

    def __len__(self) -> int:
        return len(self._path)

    def add_volume(self, node: int, amount_cents: int) -> None:
        """An order of ``node``: every proper ancestor's umbrella volume grows by the amount."""
        assert amount_cents >= 0, "volume never falls (only unsettled orders can be refunded)"
        if not amount_cents:
            return
        path, pos = self._path[node], self._idx[node] - 1
        while True:
            if pos >= 0:
                _fenwick_add(path.fen, pos, amount_cents)
                path.total += amount_cents
            parent = path.head_parent
            if parent == NONE:
                return
            path, pos = self._path[parent], self._idx[parent]

    def raise_explicit(self, node: int, level: int) -> None:
        """An explicit rank (pack, operator); never lowers one."""
        old = self._explicit[node]
        if level <= old:
            return
        self._explicit[node] = level
        marks = self._path[node].marks_for_update()
        pos = self._idx[node]
        for lv in range(old + 1, level + 1):
            insort(marks.setdefault(lv, []), pos)

    def mark_gate(self, node: int, gate: int) -> None:
        """The count condition of gate ``gate`` holds for ``node`` (for good)."""
        if self._gated[node] >> gate & 1:
            return
        self._gated[node] |= 1 << gate
        marks = self._path[node].marks_for_update()
        insort(marks.setdefault(self._levels + 1 + gate, []), self._idx[node])

    # ----------------------------------------------------------------- queries

    def umbrella(self, node: int) -> int:
        """Settled order volume of ``node``'s proper descendants (伞下业绩), in cents."""
        path = self._path[node]
        return path.total - _fenwick_prefix(path.fen, self._idx[node])

    def explicit(self, node: int) -> int:
        return self._explicit[node]

    def rank(self, node: int) -> int:
        best = self._explicit[node]
        if best == self._levels or not (self._volume_levels or self._gates):
            return best
        volume = self.umbrella(node)
        for level, threshold in self._volume_levels:
            if level <= best:
                break
            if volume >= threshold:
                best = level
                break
        gated = self._gated[node]
        if gated:
            for g, gate in enumerate(self._gates):
                if gate.level > best and gated >> g & 1 and volume >= gate.volume_cents:
                    best = gate.level
        return best

    def parent(self, node: int) -> int:
        """The parent of ``node`` (``NONE`` for a root)."""
        pos = self._idx[node]
        path = self._path[node]
        return path.nodes[pos - 1] if pos else path.head_parent

    def nearest(self, node: int, above: int) -> int:
        """The nearest of ``node`` and its ancestors whose rank is above ``above``; ``NONE`` if none."""
        if node == NONE or above >= self._levels:
            return NONE
        path, pos = self._path[node], self._idx[node]
        while True:
            found = self._lowest_on_path(path, pos, above)
            if found != NONE:
                return path.nodes[found]
            parent = path.head_parent
            if parent == NONE:
                return NONE
            path, pos = self._path[parent], self._idx[parent]

    def _lowest_on_path(self, path: _Path, pos: int, above: int) -> int:
        """The highest position <= ``pos`` on ``path`` holding a rank above ``above`` (``NONE``: none)."""
        best = NONE
        threshold = self._volume_from[above]
        if threshold is not None:
            best = min(pos, _deepest_with_umbrella(path, threshold))
        marks = path.marks
        if marks is None or best == pos:
            return best
        explicit = marks.get(above + 1)
        if explicit:
            k = bisect_right(explicit, pos) - 1
            if k >= 0 and explicit[k] > best:
                best = explicit[k]
        for g, gate in enumerate(self._gates):
            if gate.level <= above:
                continue
            marked = marks.get(self._levels + 1 + g)
            if not marked:
                continue
            limit = min(pos, _deepest_with_umbrella(path, gate.volume_cents))
            k = bisect_right(marked, limit) - 1
            if k >= 0 and marked[k] > best:
                best = marked[k]
        return best


def _deepest_with_umbrella(path: _Path, threshold: int) -> int:
    """The largest position of ``path`` whose umbrella volume is >= ``threshold`` (``NONE``: none).

    umbrella(j) = total - prefix(j) (prefix: the first j positions) falls as
    j grows, so this is the largest count c with prefix(c) <= total -
    threshold (one Fenwick descent), capped to the last position.
    """
    total = path.total
    if total < threshold:
        return NONE
    fen = path.fen
    size = len(fen) - 1
    room = total - threshold
    count = 0
    step = 1 << (size.bit_length() - 1)
    while step:
        nxt = count + step
        if nxt <= size and fen[nxt] <= room:
            count = nxt
            room -= fen[nxt]
        step >>= 1
    return min(count, size - 1)


def _fenwick_new_slot(fen: list[int]) -> int:
    """The value of a new last slot (its own amount 0): the sum over the slots it covers."""
    k = len(fen)
    stop = k - (k & -k)
    total = 0
    j = k - 1
    while j > stop:
        total += fen[j]
        j -= j & -j
    return total


def _fenwick_add(fen: list[int], pos: int, amount: int) -> None:
    k = pos + 1
    size = len(fen)
    while k < size:
        fen[k] += amount
        k += k & -k


def _fenwick_prefix(fen: list[int], count: int) -> int:
    """Sum of the first ``count`` positions."""
    total = 0
    while count:
        total += fen[count]
        count -= count & -count
    return total
