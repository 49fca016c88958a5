"""The system clock: wall time in milliseconds since the Unix epoch."""

from __future__ import annotations

import time


class SystemClock:
    """Implements the engine's ``Clock`` port with ``time.time_ns``."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000
