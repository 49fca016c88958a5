"""Routers of the platform API; ``mount`` adds them to the app."""

from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Add the platform API routes (filled in by the platform-API work)."""
    del app
