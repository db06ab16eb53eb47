from __future__ import annotations

from pathlib import Path

import pytest

from calculator.rulefiles.loader import load_catalog
from calculator.engine.resolve import Catalog

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return RULES


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(RULES)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The whole site, built once per test run: the build tests (test_trust_build.py) and the
    browser tests (tests/browser) read the same build, which none of them may change (copy it
    first). A build takes 15–25 s on the 2-core machine. With pytest-xdist (`-n 2`, as
    `./dev test` runs), the first worker builds it under the run's shared temporary folder
    and the others wait for it behind a file lock instead of building it again."""
    from filelock import FileLock

    from sitebuild.build import build_site

    if not hasattr(request.config, "workerinput"):  # not an xdist worker (-n 0, or no xdist)
        out = tmp_path_factory.mktemp("build") / "_site"
        build_site(out, log=lambda _line: None)
        return out
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    out = shared / "build" / "_site"
    with FileLock(str(shared / "build.lock")):
        if not (shared / "build" / "done").exists():
            build_site(out, log=lambda _line: None)
            (shared / "build" / "done").write_text("ok\n", encoding="utf-8")
    return out
