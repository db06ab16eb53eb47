"""The offline cache scales with coverage (issue #24): a site with 28 rule sets builds, and its
service worker precaches the same files as the real site's. The guide pages of each rule set
are kept on demand (tests/browser/test_guides.py and test_trust.py open them offline); here:
what the build writes for that, for a scratch copy of `rules/` with three copies of every
rule set under new ids and jurisdictions (tests/scratch_rules.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from calculator.rulefiles.loader import load_catalog
from sitebuild.build import build_site
from sitebuild.site.offline import GUIDE_PAGES_NAME, SHELL_BUDGET_BYTES, SW_NAME, on_disk

from .scratch_rules import many_rule_sets

COPIES = 3  # 7 rule sets and 3 copies of each: 28
HASH = re.compile(r"(?<=[./_-])(?=[0-9]*[a-f])[0-9a-f]{8,}(?=[./_-])")


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("coverage")
    ids = many_rule_sets(root / "rules", COPIES)
    return build_site(root / "_site", rules_dir=root / "rules", log=lambda _line: None).out, ids


def precache(site: Path) -> list[str]:
    sw = (site / SW_NAME).read_text(encoding="utf-8")
    return json.loads(re.search(r"const PRECACHE = (\[.*?\]);", sw, re.S).group(1))


def precache_ids(site: Path) -> list[str]:
    """The rule sets a built site has pages for (its keep list)."""
    return list(json.loads((site / GUIDE_PAGES_NAME).read_text(encoding="utf-8"))["rule_sets"])


def guide_bytes(site: Path) -> int:
    return sum(on_disk(site, p).stat().st_size for p in precache(site) if p.startswith("guide/"))


def test_many_rule_sets_build_and_precache_the_same_files(built_site: Path, big_site: tuple[Path, list[str]]) -> None:
    site, ids = big_site
    assert len(ids) >= 25
    assert len(load_catalog(site.parent / "rules").ids()) == len(ids)

    def unhashed(paths: list[str]) -> list[str]:  # data/rules.<hash>.json changes its name with its content
        return sorted(HASH.sub("#", p) for p in paths)

    assert unhashed(precache(site)) == unhashed(precache(built_site))
    # The guides' precached part is their shell; only the home page's table of rule sets grows.
    added = len(ids) - len(precache_ids(built_site))
    grown = guide_bytes(site) - guide_bytes(built_site)
    assert 0 <= grown <= 500 * added, grown
    assert guide_bytes(site) <= SHELL_BUDGET_BYTES


def test_every_rule_set_s_guide_pages_are_kept_on_demand(big_site: tuple[Path, list[str]]) -> None:
    site, ids = big_site
    listed = set(precache(site))
    kept = json.loads((site / GUIDE_PAGES_NAME).read_text(encoding="utf-8"))
    assert sorted(kept["rule_sets"]) == sorted(ids)
    catalog = load_catalog(site.parent / "rules")
    for rule_set_id in ids:
        pages = kept["rule_sets"][rule_set_id]
        assert pages[0] == f"guide/{rule_set_id}/"  # the page the rule set is opened at comes first
        assert f"guide/{rule_set_id}/" not in listed
        resolved = catalog.resolve(rule_set_id)
        for ancestor in resolved.chain[1:]:  # inherited entries link to the parent's page
            assert f"guide/{ancestor}/" in pages, (rule_set_id, ancestor)
        for source in resolved.sources.values():
            if source.text_file:
                assert f"guide/sources/{Path(source.text_file).stem}/" in pages, (rule_set_id, source.text_file)
        for rel in pages:
            assert on_disk(site, rel).is_file(), rel
            assert rel not in listed, rel
