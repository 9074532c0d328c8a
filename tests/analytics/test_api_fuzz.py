"""Schemathesis on the analytics operations, as a supervisor (who may read them all and adopt topics): whatever
it sends, no 5xx, and every answer matches the OpenAPI document. SQLite pass only (as tests/api/test_schema_fuzz)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from hotline.analytics.rollup import rollup_refresh
from hotline.analytics.services import region_map_load_demo
from hotline.directory.seed import City
from hotline.directory.tokens import token_create
from tests.analytics.activity import activity

if connection.vendor != "sqlite":
    pytest.skip("slow: the schema fuzz runs in the SQLite pass only", allow_module_level=True)
schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from tests.api.test_schema_fuzz import HOSTS, load_schema  # noqa: E402


def test_no_request_makes_the_analytics_api_fail_or_stray_from_its_document(city: City, settings: Any) -> None:
    settings.ALLOWED_HOSTS = HOSTS
    activity(city, random.Random(1), orders=6, steps=6)
    region_map_load_demo()
    rollup_refresh()
    key = token_create(user=city.users["supervisor"], name="fuzz")[1]
    operations = [r.ok() for r in load_schema().get_all_operations() if r.ok().path.startswith("/api/v1/analytics/")]
    assert len(operations) == 7
    for operation in operations:
        cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

        @given(case=cases)
        @examples(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {key}"})
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        check()
