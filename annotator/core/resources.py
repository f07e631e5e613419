"""Locate bundled files both in a source checkout and in an installed wheel.

The wheel carries ``resources/`` and ``db/`` inside the package as ``_resources`` and ``_db``
(pyproject's force-include); a checkout or editable install has them at the repository root.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _locate(packaged: str, top_level: str) -> Path:
    inside = Path(str(resources.files("annotator"))) / packaged
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / top_level


def resources_dir() -> Path:
    return _locate("_resources", "resources")


def migrations_dir() -> Path:
    return _locate("_db", "db")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
