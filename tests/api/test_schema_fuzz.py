"""Schemathesis against /api/openapi.json, in-process: whatever it sends, the API never answers 5xx, and
every answer matches the document.

Bounded: a few valid and a few invalid requests per operation, all in one test on one seeded database
(a test per operation would seed the demo city 49 times). Runs in the SQLite pass only: it is slow, and
what it checks (the API's handling of input) does not depend on the database.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.directory.seed import City
from hotline.directory.tokens import token_create

if connection.vendor != "sqlite":
    pytest.skip("slow: the schema fuzz runs in the SQLite pass only", allow_module_level=True)
schemathesis = pytest.importorskip("schemathesis", reason="a dev dependency: schemathesis==4.32.5")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

HOSTS = ["localhost", "testserver"]  # schemathesis calls the app as localhost
EXAMPLES_PER_OPERATION = 6


def load_schema() -> Any:
    from hotline.wsgi import application

    with override_settings(ALLOWED_HOSTS=HOSTS):
        return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def dispatcher_key(city: City, settings: Any) -> str:
    """A dispatcher's token (it sees every order), on a database with a few orders in it."""
    from hotline.orders import services

    settings.ALLOWED_HOSTS = HOSTS
    for content in ("小区门口路灯坏了", "道路积水严重"):
        result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                        content=content, requester_phone="13800000001", category="urban")
        services.order_dispatch(order=result.orders[0].pk, user=city.users["dispatcher"], unit="D01")
    return token_create(user=city.users["dispatcher"], name="schemathesis")[1]


def test_no_request_makes_the_api_fail_or_stray_from_its_document(dispatcher_key: str) -> None:
    schema = load_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 49
    headers = {"Authorization": f"Bearer {dispatcher_key}"}

    for operation in operations:
        cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

        @given(case=cases)
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        check()
