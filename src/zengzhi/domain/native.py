"""Hints for the optional compiled build of the domain (mypyc, ``ZENGZHI_NATIVE=1``; see docs/performance.md).

``mypyc_attr`` is read by mypyc from the source when it compiles; at run time
it does nothing. The fallback keeps the domain free of third-party imports
where mypy is not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

try:
    from mypy_extensions import mypyc_attr
except ImportError:  # a pure install without mypy: the hint has no effect anyway

    def mypyc_attr(*attrs: str, **kwattrs: object) -> Callable[[T], T]:
        del attrs, kwattrs
        return lambda target: target


def compiled() -> bool:
    """True when this module runs compiled (then the whole domain is)."""
    return not __file__.endswith(".py")


__all__ = ["compiled", "mypyc_attr"]
