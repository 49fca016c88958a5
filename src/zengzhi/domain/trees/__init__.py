"""Tree indices over a growing rooted forest of int nodes (a member's ``join_seq``).

Nodes are added only as leaves, with a parent fixed at insertion. Both indices
cost O(log n) or less per operation whatever the tree's shape, so a 100k-deep
sponsor (推荐) or placement (安置) chain costs no more per order than a flat team:

* ``SubtreeIndex`` (subtree.py): weight sum, size and smallest leaf of a
  node's subtree (团队业绩 team volume, 团队人数 team size, 滑落 spill-over
  target), as an Euler tour in a treap.
* ``AncestorIndex`` (ancestors.py): parent, depth, the nearest ancestor that
  satisfies a monotone predicate (e.g. "rank >= X" going up when ranks only
  grow upwards) and the ancestor at a given depth, with skew-binary jump pointers.

Both are plain mutable objects owned by a plan's runtime state; they hold ints
only (no money rounding happens here) and never recurse.
"""

from zengzhi.domain.trees.ancestors import AncestorIndex
from zengzhi.domain.trees.subtree import SubtreeIndex

__all__ = ["AncestorIndex", "SubtreeIndex"]
