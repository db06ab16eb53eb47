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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built once per test session: the build tests (test_trust_build.py) and the
    browser tests (tests/browser) read the same build, which none of them may change (copy it
    first). A build takes 15–25 s on the 2-core machine; it used to be done twice."""
    from sitebuild.build import build_site

    out = tmp_path_factory.mktemp("build") / "_site"
    build_site(out, log=lambda _line: None)
    return out
