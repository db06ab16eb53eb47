"""What every build step shares: the context it works on, the error it raises, a step.

Its own module so that the steps (``sitebuild/site``, ``sitebuild/guides``) and the
orchestration (``sitebuild/build.py``) both import it and the steps never import the
orchestration: the build's imports run one way, ``build -> steps -> context``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calculator.engine.resolve import Catalog

    from .guides.offline import GuidePages
    from .runtime.vendor import RuntimeManifest


class BuildError(RuntimeError):
    """A step failed; ``problems`` are sentences for the person running the build."""

    def __init__(self, step: str, problems: Sequence[str]):
        self.step = step
        self.problems = list(problems)
        super().__init__(f"{step}：" + "；".join(self.problems))


@dataclass
class BuildContext:
    root: Path  # the repository
    out: Path  # the folder being assembled (becomes the site)
    work: Path  # scratch space, deleted after the build
    cache_dir: Path | None = None  # Pyodide/wheel download cache (None: vendor's default)
    log: Callable[[str], None] = print
    catalog: Catalog | None = None  # the validated rules (step 校验规则), read by every later step
    wheel: Path | None = None
    runtime: RuntimeManifest | None = None
    urls: dict[str, str] = field(default_factory=dict)  # "rules"/"forms" -> path relative to out
    guide_base: str | None = None  # "guide/" once a guide step has built the guides
    engine_version: str = ""
    rules: Path | None = None  # the rules to build from (None: the repository's rules/)
    guide_pages: GuidePages | None = None  # guide pages kept offline, and when (step 政策指南)

    @property
    def rules_dir(self) -> Path:
        return self.rules or self.root / "rules"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[BuildContext], None]
