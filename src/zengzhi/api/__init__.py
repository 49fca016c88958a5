"""HTTP adapter: the platform API (FastAPI)."""
