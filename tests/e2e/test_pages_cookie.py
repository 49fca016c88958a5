"""The page session cookie is marked Secure when the deployment asks for it."""

from __future__ import annotations

import warnings
from pathlib import Path

from zengzhi.bootstrap import build_app
from zengzhi.config import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's TestClient may warn about the httpx flavour
    from starlette.testclient import TestClient


def _cookie(tmp_path: Path, https_only: bool) -> str:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'z.db'}", secret_key="k",
                        session_https_only=https_only)
    with TestClient(build_app(settings, demo=True), base_url="https://testserver") as client:
        return client.get("/admin/demo/login").headers.get("set-cookie", "").lower()


def test_secure_cookie_when_https_only(tmp_path: Path) -> None:
    assert "; secure" in _cookie(tmp_path, https_only=True)


def test_plain_cookie_by_default(tmp_path: Path) -> None:
    cookie = _cookie(tmp_path, https_only=False)
    assert "zengzhi_session=" in cookie and "; secure" not in cookie
