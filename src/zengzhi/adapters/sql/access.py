"""``AccessStore``: API keys, webhook secrets, users and the admin audit log.

Shares the database (and the SQLAlchemy engine) of the event store. Secrets
are generated here with ``secrets``; API keys are stored as SHA-256 digests
(a key is shown once, at creation); passwords as scrypt hashes. Webhook
secrets are kept as issued because verifying an HMAC needs the secret
itself; a rotated secret stays valid until it is retired. Active secrets are
cached per process for ``SECRETS_TTL_S`` seconds: a secret retired by another
process (the CLI) stops working within that time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from zengzhi.adapters.sql.tables import api_keys, audit_log, users, webhook_secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SECRETS_TTL_S = 5.0
AUDIT_PAGE_MAX = 500


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    scheme, salt_hex, digest_hex = stored.split("$")
    assert scheme == "scrypt"
    again = hash_password(password, bytes.fromhex(salt_hex)).split("$")[2]
    return hmac.compare_digest(again, digest_hex)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class User:
    tenant: str
    username: str
    role: str  # "admin" | "member"
    member_id: str | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    entry_id: int
    tenant: str
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


class AccessStore:
    def __init__(self, engine: Engine, *, secrets_ttl_s: float = SECRETS_TTL_S) -> None:
        self._engine = engine
        self._secrets_ttl_s = secrets_ttl_s
        # tenant -> (read at, active secrets): every webhook needs them, a query each
        # time costs more than the whole engine; rotations by this process clear it,
        # rotations by another process (the CLI) are seen within the TTL
        self._secrets: dict[str, tuple[float, list[str]]] = {}

    # -- API keys: "zk_<id>.<secret>"; only the digest of the whole key is stored --

    def create_api_key(self, tenant: str) -> str:
        key_id = "zk_" + secrets.token_hex(8)
        key = f"{key_id}.{secrets.token_urlsafe(24)}"
        with self._engine.begin() as conn:
            conn.execute(insert(api_keys).values(key_id=key_id, tenant=tenant,
                                                 secret_sha256=_sha256(key)))
        return key

    def tenant_of_api_key(self, key: str) -> str | None:
        key_id = key.split(".", 1)[0]
        with self._engine.connect() as conn:
            row = conn.execute(select(api_keys.c.tenant, api_keys.c.secret_sha256)
                               .where(api_keys.c.key_id == key_id, api_keys.c.revoked.is_(None))
                               ).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, _sha256(key)):
            return None
        return str(row.tenant)

    def revoke_api_key(self, key_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(api_keys).where(api_keys.c.key_id == key_id)
                         .values(revoked=datetime.now(UTC)))

    # -- webhook secrets (rotation: several active at once until retired) ---------

    def add_webhook_secret(self, tenant: str) -> tuple[str, str]:
        secret_id = "whs_" + secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            conn.execute(insert(webhook_secrets).values(secret_id=secret_id, tenant=tenant,
                                                        secret=secret))
        self._secrets.clear()
        return secret_id, secret

    def webhook_secrets(self, tenant: str) -> list[str]:
        """Active secrets, newest first (cached for ``secrets_ttl_s``)."""
        cached = self._secrets.get(tenant)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self._secrets_ttl_s:
            return cached[1]
        active = self._read_secrets(tenant)
        self._secrets[tenant] = (now, active)
        return active

    def cached_webhook_secrets(self, tenant: str) -> list[str] | None:
        """The cached active secrets if still fresh, without touching the database."""
        cached = self._secrets.get(tenant)
        if cached is not None and time.monotonic() - cached[0] < self._secrets_ttl_s:
            return cached[1]
        return None

    def _read_secrets(self, tenant: str) -> list[str]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(webhook_secrets.c.secret)
                                .where(webhook_secrets.c.tenant == tenant,
                                       webhook_secrets.c.retired.is_(None))
                                .order_by(webhook_secrets.c.created.desc())).all()
        return [str(r.secret) for r in rows]

    def retire_webhook_secret(self, secret_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(webhook_secrets).where(webhook_secrets.c.secret_id == secret_id)
                         .values(retired=datetime.now(UTC)))
        self._secrets.clear()

    # -- users ---------------------------------------------------------------------

    def create_user(self, tenant: str, username: str, password: str, role: str,
                    member_id: str | None = None) -> User:
        assert role in ("admin", "member")
        with self._engine.begin() as conn:
            conn.execute(insert(users).values(tenant=tenant, username=username,
                                              password_hash=hash_password(password), role=role,
                                              member_id=member_id))
        return User(tenant, username, role, member_id)

    def verify_user(self, tenant: str, username: str, password: str) -> User | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.tenant == tenant,
                                                   users.c.username == username)).first()
        if row is None or not check_password(password, row.password_hash):
            return None
        return User(tenant, username, row.role, row.member_id)

    def user(self, tenant: str, username: str) -> User | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.tenant == tenant,
                                                   users.c.username == username)).first()
        return None if row is None else User(tenant, username, row.role, row.member_id)

    # -- audit -----------------------------------------------------------------------

    def audit(self, tenant: str, actor: str, action: str, detail: dict[str, Any]) -> None:
        with self._engine.begin() as conn:
            conn.execute(insert(audit_log).values(tenant=tenant, actor=actor, action=action,
                                                  detail=json.dumps(detail, ensure_ascii=False)))

    def audit_entries(self, tenant: str, limit: int = 100) -> list[AuditEntry]:
        limit = min(limit, AUDIT_PAGE_MAX)
        with self._engine.connect() as conn:
            rows = conn.execute(select(audit_log).where(audit_log.c.tenant == tenant)
                                .order_by(audit_log.c.id.desc()).limit(limit)).all()
        return [AuditEntry(r.id, r.tenant, r.at, r.actor, r.action, json.loads(r.detail))
                for r in rows]
