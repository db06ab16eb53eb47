from __future__ import annotations

from pathlib import Path

import pytest

from calculator.loader import load_catalog
from calculator.resolve import Catalog

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return RULES


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(RULES)
