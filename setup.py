"""Build hook: the optional compiled domain.

``ZENGZHI_NATIVE=1 pip install [-e] .`` compiles ``zengzhi.domain`` (the pure
rules: pool, ledger, plans, trees) with mypyc into C extensions; the same
source, type-checked by mypy --strict, runs about twice as fast (numbers in
docs/performance.md). Without the variable the package is pure Python.
Everything else is in pyproject.toml.
"""

from __future__ import annotations

import os

from setuptools import setup

ext_modules = []
if os.environ.get("ZENGZHI_NATIVE") == "1":
    from mypyc.build import mypycify

    ext_modules = mypycify(["src/zengzhi/domain"], opt_level="3")

setup(ext_modules=ext_modules)
