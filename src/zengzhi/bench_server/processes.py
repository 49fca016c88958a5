"""What the server benchmark runs against: server child processes, their databases and tenants.

``ServerProcess`` starts a server (``zengzhi serve`` or the baseline app),
waits for ``/healthz`` and stops or kills it; ``fresh_database`` gives an
empty SQLite file or a throw-away PostgreSQL database; ``prepare_tenant``
creates the tenant, its webhook secret and an API key directly in the store.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from zengzhi.workload import DEFAULT_CONFIG

BENCH_TENANT = "bench"
HOST = "127.0.0.1"
HEALTH_TIMEOUT_S = 60.0
BASELINE_PATH = Path(__file__).resolve().parents[3] / "bench" / "server_baseline.py"
BASELINE_SECRET_ENV = "ZENGZHI_BASELINE_WEBHOOK_SECRET"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def zengzhi_argv(db_url: str, port: int) -> list[str]:
    return [sys.executable, "-m", "zengzhi", "serve", "--db", db_url, "--host", HOST, "--port", str(port)]


def baseline_argv(db_url: str, port: int) -> list[str]:
    return [sys.executable, str(BASELINE_PATH), "--db", db_url, "--host", HOST, "--port", str(port)]


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process (Linux ``/proc``), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class ServerProcess:
    """A server child process; its output goes to ``log_path``."""

    def __init__(self, argv: list[str], port: int, log_path: Path,
                 env: dict[str, str] | None = None) -> None:
        self.argv = argv
        self.port = port
        self.log_path = log_path
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout_s: float = HEALTH_TIMEOUT_S) -> float:
        """Start and wait until ``GET /healthz`` answers 200; returns the seconds that took."""
        began = time.perf_counter()
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(self.argv, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=self.env)
        deadline = began + timeout_s
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return time.perf_counter() - began
            time.sleep(0.02)
        self.stop()
        raise TimeoutError(f"server not healthy after {timeout_s} s:\n{self.log_tail()}")

    def healthy(self) -> bool:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=1.0)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def kill(self) -> None:
        """``kill -9``: no shutdown, no flush."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._close_log()

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM (a graceful uvicorn shutdown), SIGKILL if it does not end in time."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


# -- set-up ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    tenant: str
    secret: str  # webhook secret
    api_key: str


def prepare_tenant(db_url: str, tenant: str = BENCH_TENANT,
                   config: dict[str, Any] | None = None) -> Credentials:
    """Create ``tenant``, a webhook secret and an API key directly in the store at ``db_url``."""
    from zengzhi.adapters.sql.access import AccessStore
    from zengzhi.adapters.sql.store import SqlEventStore
    from zengzhi.bootstrap import open_store

    store = open_store(db_url)
    try:
        assert isinstance(store, SqlEventStore)
        store.create_tenant(tenant, config or DEFAULT_CONFIG)
        access = AccessStore(store.engine)
        _, secret = access.add_webhook_secret(tenant)
        api_key = access.create_api_key(tenant)
    finally:
        store.close()
    return Credentials(tenant, secret, api_key)


@contextmanager
def fresh_database(kind: str, tmp: Path, pg_url: str) -> Iterator[str]:
    """A URL of an empty database: a SQLite file in ``tmp``, or a new PostgreSQL database.

    The PostgreSQL database ``zengzhi_bench_<hex>`` is created through
    ``pg_url`` (the server's maintenance database) and dropped ``WITH (FORCE)``
    afterwards, whatever happens.
    """
    if kind == "sqlite":
        yield f"sqlite:///{tmp / f'bench-{secrets.token_hex(4)}.db'}"
        return
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r} (sqlite or postgresql)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    server = make_url(pg_url)
    name = f"zengzhi_bench_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
