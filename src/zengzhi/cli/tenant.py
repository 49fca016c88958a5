"""``zengzhi tenant …``: create tenants and their credentials (API keys, webhook
secrets, users) on a database. Thin: parse, call the stores, print."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from zengzhi.cli import render
from zengzhi.errors import ZengzhiError

tenant_app = typer.Typer(no_args_is_help=True, help="Tenants and their credentials.")

DbOption = Annotated[str | None, typer.Option(help="Database URL (default ./zengzhi.db or $ZENGZHI_DB_URL).")]


def _config_from(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise typer.BadParameter(f"{path}: a config is a mapping")
    config = data.get("config", data)  # a scenario file's config block, or a bare config
    assert isinstance(config, dict)
    return config


@tenant_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Tenant id.")],
    config: Annotated[Path, typer.Option(help="YAML/JSON config (or a scenario file).")],
    db: DbOption = None,
) -> None:
    """Create a tenant with its config; prints its first API key and webhook secret."""
    from zengzhi.bootstrap import SystemClock, open_access
    from zengzhi.domain.config import ConfigError
    from zengzhi.engine.engine import Engine

    store, access = open_access(db)
    try:
        Engine.create(store, name, _config_from(config), SystemClock())
        key = access.create_api_key(name)
        secret_id, secret = access.add_webhook_secret(name)
    except (ZengzhiError, ConfigError) as exc:
        render.error(str(exc))
        raise typer.Exit(2) from None
    finally:
        store.close()
    render.out.print(f"tenant {name} created\napi key:        {key}\nwebhook secret: {secret} ({secret_id})")


@tenant_app.command("list")
def list_tenants(db: DbOption = None) -> None:
    """List tenant ids."""
    from zengzhi.bootstrap import open_store

    store = open_store(db)
    try:
        for name in store.tenants():
            render.out.print(name)
    finally:
        store.close()


@tenant_app.command("api-key")
def api_key(name: Annotated[str, typer.Argument(help="Tenant id.")], db: DbOption = None,
            revoke: Annotated[str | None, typer.Option(help="Revoke this key id instead.")] = None) -> None:
    """Issue a new API key (shown once), or revoke one by its id (zk_…)."""
    from zengzhi.bootstrap import open_access

    store, access = open_access(db)
    try:
        _require(store.tenants(), name)
        if revoke:
            access.revoke_api_key(revoke)
            render.out.print(f"revoked {revoke}")
        else:
            render.out.print(access.create_api_key(name))
    finally:
        store.close()


@tenant_app.command("webhook-secret")
def webhook_secret(name: Annotated[str, typer.Argument(help="Tenant id.")], db: DbOption = None,
                   retire: Annotated[str | None, typer.Option(help="Retire this secret id.")] = None) -> None:
    """Add a webhook signing secret (rotation: old ones stay valid until retired)."""
    from zengzhi.bootstrap import open_access

    store, access = open_access(db)
    try:
        _require(store.tenants(), name)
        if retire:
            access.retire_webhook_secret(retire)
            render.out.print(f"retired {retire}")
        else:
            secret_id, secret = access.add_webhook_secret(name)
            render.out.print(f"{secret_id} {secret}")
    finally:
        store.close()


@tenant_app.command("user")
def user(
    name: Annotated[str, typer.Argument(help="Tenant id.")],
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="admin or member.")] = "admin",
    member_id: Annotated[str | None, typer.Option(help="The member a member login is bound to.")] = None,
    db: DbOption = None,
) -> None:
    """Create an admin or member login; the password is read from the terminal."""
    from zengzhi.bootstrap import open_access

    if role not in ("admin", "member") or (role == "member") != (member_id is not None):
        raise typer.BadParameter("role is admin, or member with --member-id")
    password = getpass.getpass("password: ")
    store, access = open_access(db)
    try:
        _require(store.tenants(), name)
        access.create_user(name, username, password, role, member_id)
    finally:
        store.close()
    render.out.print(f"user {username} ({role}) created")


def _require(tenants: list[str], name: str) -> None:
    if name not in tenants:
        render.error(f"no tenant {name!r}")
        raise typer.Exit(2)
