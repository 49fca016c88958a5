"""Hypothesis profiles for the property suite, chosen by ``HYPOTHESIS_PROFILE``.

* ``ci`` (default): a fast run, part of every ``pytest``;
* ``thorough``: ten times the examples and longer stateful runs (nightly, ``-m slow`` jobs).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=50, stateful_step_count=40, deadline=None)
settings.register_profile("thorough", max_examples=500, stateful_step_count=80, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
