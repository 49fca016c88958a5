"""Which domain runs: the compiled one (mypyc, ``ZENGZHI_NATIVE=1``) or pure Python.

An in-place build (``pip install -e .`` with ``ZENGZHI_NATIVE=1``) puts
extension modules beside the domain's ``.py`` files, and Python loads the
extension first: a source edited after the build would silently not run.
``stale_sources`` lists such files; the test suite refuses to run on them.
"""

from __future__ import annotations

from pathlib import Path

from zengzhi.domain import native


def describe() -> str:
    return "compiled (mypyc)" if native.compiled() else "pure Python"


def stale_sources() -> list[str]:
    """Domain sources newer than the compiled build (empty: pure Python, or the build is current)."""
    if not native.compiled():
        return []
    domain = Path(native.__file__).resolve().parent
    built = [p.stat().st_mtime for p in domain.rglob("*.so")]
    if not built:
        return []
    built_s = min(built)
    return sorted(str(p.relative_to(domain)) for p in domain.rglob("*.py") if p.stat().st_mtime > built_s)
