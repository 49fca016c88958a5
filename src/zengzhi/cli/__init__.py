"""Command-line entrypoints (Typer + Rich)."""
