"""Admin and member pages, served by the same app."""
