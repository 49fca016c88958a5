"""Adapters: concrete implementations of the engine's ports (SQL store, system clock)."""
