"""What a test does when something it needs from outside the repository is absent (the seed
articles in ../shared, a PostgreSQL server): on a developer's machine it is skipped with the
reason; where CI is set, everything the suite needs must be there, so it fails."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the suite must run whole)", pytrace=False)
    pytest.skip(reason)
