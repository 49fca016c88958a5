"""The public surface is exactly ``__all__`` (httpx's test_exported_members)."""

import zengzhi


def test_all_is_exact() -> None:
    exported = {name for name in dir(zengzhi) if not name.startswith("_")}
    # subpackages appear as attributes once imported; they are not API
    modules = {"annotations", "domain", "engine", "errors", "adapters", "cli", "bootstrap", "scenario",
               "replay", "workload", "benchmark"}
    assert exported - modules == set(zengzhi.__all__) - {"__version__"}


def test_every_name_resolves() -> None:
    for name in zengzhi.__all__:
        assert getattr(zengzhi, name) is not None
