"""The guide page for units (batch checking, embedding): every column the sheet reader knows
is explained, every rule set's columns and link parameters are listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from calculator.batch.people import CIRCUMSTANCE_COLUMNS, PERSON_COLUMNS, template_headers
from calculator.rulefiles.loader import load_catalog
from sitebuild.guides.context import GuideContext
from sitebuild.guides.units import _COLUMN_TEXT, batch_href, units_markdown

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ctx() -> GuideContext:
    return GuideContext(load_catalog(ROOT / "rules"), "../")


def test_every_fixed_column_is_explained() -> None:
    assert set(_COLUMN_TEXT) == set(PERSON_COLUMNS + CIRCUMSTANCE_COLUMNS)


def test_every_rule_sets_columns_and_parameters_are_listed(ctx: GuideContext) -> None:
    text = units_markdown(ctx)
    for rs in ctx.catalog.all():
        for header in template_headers(ctx.resolved(rs.id)):
            if "年" not in header[:5]:
                assert f"`{header}`" in text, header
        assert f"`?rule_set={rs.id}`" in text
        assert f"`?jurisdiction={rs.jurisdiction.code}&regime={rs.regime}&year={rs.year}`" in text


def test_embedding_section(ctx: GuideContext) -> None:
    text = units_markdown(ctx)
    assert '## 从单位内网链接或嵌入 {#embed}' in text
    assert 'sandbox="allow-scripts allow-same-origin allow-downloads"' in text
    for permission in ("allow-scripts", "allow-same-origin", "allow-downloads", "allow-modals", "frame-ancestors"):
        assert permission in text
    assert "compact=1" in text


def test_batch_link_is_next_to_the_calculator(ctx: GuideContext) -> None:
    assert batch_href(ctx, "units.md") == "../../batch.html"
    assert batch_href(ctx, "index.md") == "../batch.html"
    assert batch_href(GuideContext(ctx.catalog, "/tools/xueshi/index.html"), "units.md") == "/tools/xueshi/batch.html"


def test_yes_no_words_named_on_the_page_are_read() -> None:
    from calculator.batch.people import _NO, _YES

    assert {"是", "有", "√", "1"} <= _YES and {"否", "无", "0", ""} <= _NO
