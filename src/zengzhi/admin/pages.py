"""Admin and member pages; ``mount`` adds them to the app."""

from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Add the page routes and static files (filled in by the pages work)."""
    del app
