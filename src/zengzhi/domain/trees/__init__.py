"""Tree indices over a growing rooted forest of int nodes (a member's ``join_seq``).

Nodes are added only as leaves, with a parent fixed at insertion. ``SubtreeIndex``
answers subtree aggregates; ``AncestorIndex`` answers monotone ancestor searches.
"""

from zengzhi.domain.trees.ancestors import AncestorIndex
from zengzhi.domain.trees.subtree import SubtreeIndex

__all__ = ["AncestorIndex", "SubtreeIndex"]
