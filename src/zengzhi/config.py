"""Server settings (pydantic-settings): from ``ZENGZHI_*`` environment variables."""

from __future__ import annotations

import secrets

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZENGZHI_")

    db_url: str | None = Field(default=None, description="SQLAlchemy URL; default ./zengzhi.db")
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32),
                            description="Signs admin/member sessions; set it in production")
    webhook_tolerance_s: int = Field(default=300, ge=1)
    body_size_max_bytes: int = Field(default=64 * 1024, ge=1024)
    session_https_only: bool = Field(default=False,
                                     description="Mark the page session cookie Secure (serve over HTTPS)")
    default_language: str = Field(default="zh-CN", pattern="^(zh-CN|en)$")
