"""Schemathesis against the app's own OpenAPI: no input makes the server fail (no 5xx).

Every operation gets a few generated requests (valid and invalid bodies,
parameters and headers) with a real API key and a fresh idempotency key.
Webhook requests carry no valid signature, so they exercise the 401 path.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.e2e.conftest import CONFIG  # noqa: E402
from zengzhi.bootstrap import build_app  # noqa: E402
from zengzhi.config import Settings  # noqa: E402

MAX_EXAMPLES = 10
_keys = itertools.count()


@pytest.fixture
def api_setup(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    app = build_app(Settings(db_url=f"sqlite:///{tmp_path / 'schema.db'}"))
    app.state.hub.create_tenant("t1", CONFIG)
    key = app.state.access.create_api_key("t1")
    app.state.access.add_webhook_secret("t1")
    try:
        yield app, key
    finally:
        app.state.hub.close()
        app.state.hub.store.close()


def test_no_server_errors(api_setup: tuple[Any, str]) -> None:
    # schemathesis' pytest plugin does not run on this pytest; drive its strategies with Hypothesis
    app, key = api_setup
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_5xx(case: Any) -> None:
            headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": f"st-{next(_keys)}"}
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path, response.status_code,
                                                response.text)

        no_5xx()
