"""A scratch copy of `rules/` with many more rule sets, for tests of what grows with coverage.

`many_rule_sets(tmp / "rules", copies=3)` writes the real rule sets and `copies` copies of
each under new ids (`<id>-c<k>`), new jurisdiction codes (`<code>-c<k>`, parents too) and
their own source text files (`<stem>-c<k>.txt`), so every copy has its own guide page and
source page like a new province would. Nothing here is committed as rules: it is generated
into a test's temporary folder. `examples/` is linked beside it (the author guide reads it).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"

_JURISDICTION = re.compile(r"^jurisdiction:\n((?:  .*\n)+)", re.M)


def _rule_ids() -> list[str]:
    return sorted(
        re.search(r"^id: (\S+)$", p.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
        for p in RULES.rglob("*.yaml")
        if not p.name.endswith(".cases.yaml") and "schema" not in p.parts
    )


def _copy_text(text: str, ids: list[str], k: int) -> str:
    # Longest first, whole ids only: hunan-shiye-2023 inside hunan-college-shiye-2023 stays.
    for old in sorted(ids, key=len, reverse=True):
        text = re.sub(rf"(?<![a-z0-9_-]){re.escape(old)}(?![a-z0-9_-])", f"{old}-c{k}", text)
    text = re.sub(r"^(\s+text_file: )(\S+)\.txt$", rf"\g<1>\g<2>-c{k}.txt", text, flags=re.M)

    def jurisdiction(match: re.Match[str]) -> str:
        block = re.sub(r"^(  (?:code|parent): )(\S+)$", rf"\g<1>\g<2>-c{k}", match.group(1), flags=re.M)
        block = re.sub(r"^(  name: )(.+)$", rf"\g<1>\g<2>（副本{k}）", block, flags=re.M)
        return "jurisdiction:\n" + block

    return _JURISDICTION.sub(jurisdiction, text)


def many_rule_sets(target: Path, copies: int) -> list[str]:
    """Write the rules and `copies` copies of every rule set into `target`; return all ids."""
    shutil.copytree(RULES, target)
    (target.parent / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    ids = _rule_ids()
    originals = [p for p in RULES.rglob("*.yaml") if "schema" not in p.relative_to(RULES).parts]
    for k in range(1, copies + 1):
        for path in originals:
            rel = path.relative_to(RULES)
            out = target / f"copy-{k}" / rel.parent / (
                path.name.replace(".cases.yaml", f"-c{k}.cases.yaml") if path.name.endswith(".cases.yaml")
                else f"{path.stem}-c{k}.yaml"
            )
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(_copy_text(path.read_text(encoding="utf-8"), ids, k), encoding="utf-8")
        for text in (RULES / "sources").glob("*.txt"):
            shutil.copyfile(text, target / "sources" / f"{text.stem}-c{k}.txt")
    _copy_places(target / "places.json", copies)
    return ids + [f"{i}-c{k}" for k in range(1, copies + 1) for i in ids]


def _copy_places(path: Path, copies: int) -> None:
    """The copies' jurisdictions are places too (validate asks every rule set for one): each place
    a rule set names, copied under `<code>-c<k>`, its parent copied along when that is named too."""
    data = json.loads(path.read_text(encoding="utf-8"))
    named = {m.group(1) for p in RULES.rglob("*.yaml") if "schema" not in p.parts
             for m in re.finditer(r"^  (?:code|parent): (\S+)$", p.read_text(encoding="utf-8"), re.M)}
    places = [p for p in data["places"] if p["code"] in named]
    for k in range(1, copies + 1):
        for place in places:
            parent = place["parent"]
            data["places"].append({**place, "code": f"{place['code']}-c{k}",
                                   "parent": f"{parent}-c{k}" if parent in named else parent})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
