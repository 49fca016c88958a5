"""The public surface is exactly ``__all__`` (httpx's test_exported_members)."""

import inspect

import zengzhi


def test_all_is_exact() -> None:
    # subpackages become attributes once imported; they are not API
    exported = {name for name, value in vars(zengzhi).items()
                if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"}
    assert exported == set(zengzhi.__all__) - {"__version__"}


def test_every_name_resolves() -> None:
    for name in zengzhi.__all__:
        assert getattr(zengzhi, name) is not None
