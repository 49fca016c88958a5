"""Service layer: the Engine (idempotency, event log, group commit), ports and fakes."""
