"""``zengzhi tenant …`` creates tenants and credentials the API accepts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_create_list_and_credentials(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'z.db'}"
    created = runner.invoke(app, ["tenant", "create", "shop1", "--config",
                                  str(ROOT / "examples" / "quickstart.yaml"), "--db", db])
    assert created.exit_code == 0, created.output
    key = created.output.split("api key:")[1].split()[0]
    again = runner.invoke(app, ["tenant", "create", "shop1", "--config",
                                str(ROOT / "examples" / "quickstart.yaml"), "--db", db])
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(app, ["tenant", "list", "--db", db]).output.split() == ["shop1"]
    second = runner.invoke(app, ["tenant", "api-key", "shop1", "--db", db]).output.strip()
    secret_line = runner.invoke(app, ["tenant", "webhook-secret", "shop1", "--db", db]).output
    assert runner.invoke(app, ["tenant", "api-key", "nope", "--db", db]).exit_code == 2
    store = SqlEventStore(db)
    try:
        access = AccessStore(store.engine)
        assert access.tenant_of_api_key(key) == "shop1"
        assert access.tenant_of_api_key(second) == "shop1"
        assert secret_line.split()[1] in access.webhook_secrets("shop1")
        runner.invoke(app, ["tenant", "api-key", "shop1", "--db", db, "--revoke", key.split(".")[0]])
        assert access.tenant_of_api_key(key) is None
    finally:
        store.close()


def test_bad_config_is_refused_with_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("pool: {grant_ratio: '2'}\n")
    result = runner.invoke(app, ["tenant", "create", "x", "--config", str(bad),
                                 "--db", f"sqlite:///{tmp_path / 'z.db'}"])
    assert result.exit_code == 2 and "pool.grant_ratio" in result.output
