from __future__ import annotations

import pytest

from hotline.directory.seed import City, seed_city


@pytest.fixture
def city(db: None) -> City:
    return seed_city(password="x", streets=False)
