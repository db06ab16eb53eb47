"""Write ``rules/places.json``: China's provinces and prefecture-level divisions, with the
pinyin a person may type to find theirs, so the picker can say honestly where a place has
no rule set of its own and which parent's rules apply instead.

    python -m sitebuild.places          # regenerate (needs npm and pypinyin once)

The names and codes come from the npm package ``china-division`` (pinned below, checked
against its npm integrity; WTFPL), the pinyin from ``pypinyin``. The output is committed:
the calculator, the CLI and the build read it without either package.
"""

from __future__ import annotations

import json
import re
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from sitebuild.runtime.vendor import _npm_pack, default_cache_dir, npm_integrity

PACKAGE, VERSION = "china-division", "2.7.0"
INTEGRITY = "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
OUT = Path(__file__).resolve().parents[1] / "rules" / "places.json"

_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")
# The peoples named in the autonomous prefectures' names ("湘西土家族苗族自治州" -> 湘西).
_PEOPLES = "朝鲜|土家|苗|藏|羌|彝|侗|布依|哈尼|壮|傣|白|景颇|傈僳|回|蒙古|柯尔克孜|哈萨克"
_PEOPLE_SUFFIX = re.compile(rf"(?:{_PEOPLES})族?$")
# Where the toneless pinyin of two names is the same, the customary spelling tells them apart.
_SPELLING = {"陕西": "shaanxi"}


def short_name(name: str, level: str) -> str:
    if level == "province":
        return _PROVINCE_SUFFIX.sub("", name)
    if name.endswith("自治州"):
        rest = name.removesuffix("自治州")
        while _PEOPLE_SUFFIX.search(rest) and len(_PEOPLE_SUFFIX.sub("", rest)) >= 2:
            rest = _PEOPLE_SUFFIX.sub("", rest)
        return rest
    return re.sub(r"(市|地区|盟)$", "", name)


def _spell(text: str) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    if text in _SPELLING:
        return _SPELLING[text], "".join(s[0] for s in lazy_pinyin(text))
    syllables = [s for s in lazy_pinyin(text) if s.isalpha()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


def _place(code: str, name: str, short: str, level: str, parent: str | None, admin: str | None) -> dict[str, Any]:
    pinyin, initials = _spell(short)
    full_pinyin, full_initials = _spell(name)
    return {"code": code, "name": name, "short": short, "level": level, "parent": parent, "admin_code": admin,
            "pinyin": pinyin, "initials": initials,
            "keys": sorted({pinyin, initials, full_pinyin, full_initials})}


def places(provinces: list[dict[str, str]], cities: list[dict[str, str]]) -> list[dict[str, Any]]:
    out = [{"code": "national", "name": "全国", "short": "全国", "level": "national", "parent": None,
            "admin_code": None, "pinyin": "quanguo", "initials": "qg", "keys": ["guojia", "qg", "quanguo"]}]
    province_code: dict[str, str] = {}
    for prov in provinces:
        short = short_name(prov["name"], "province")
        code = _spell(short)[0]
        province_code[prov["code"]] = code
        out.append(_place(code, prov["name"], short, "province", "national", prov["code"]))
    for city in cities:
        # Municipalities list their districts as "市辖区"; provinces their county-level cities as
        # "省直辖县级行政区划": neither is a prefecture a person would look for.
        if city["name"] in ("市辖区", "县") or "直辖" in city["name"]:
            continue
        short = short_name(city["name"], "prefecture")
        parent = province_code[city["provinceCode"]]
        out.append(_place(f"{parent}-{_spell(short)[0]}", city["name"], short, "prefecture", parent, city["code"]))
    codes = [p["code"] for p in out]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise SystemExit(f"两个地方的代码相同：{duplicates}")
    return out


def _package_files(cache: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    tgz = cache / "npm" / f"{PACKAGE}-{VERSION}.tgz"
    if not (tgz.is_file() and npm_integrity(tgz) == INTEGRITY):
        tgz.parent.mkdir(parents=True, exist_ok=True)
        _npm_pack(f"{PACKAGE}@{VERSION}", tgz)
    if npm_integrity(tgz) != INTEGRITY:
        raise SystemExit(f"{tgz.name} 的完整性校验不符：{npm_integrity(tgz)}")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(tgz) as tar:
        for member in ("package/dist/provinces.json", "package/dist/cities.json"):
            tar.extract(member, tmp, filter="data")
        return (json.loads((Path(tmp) / "package/dist/provinces.json").read_text(encoding="utf-8")),
                json.loads((Path(tmp) / "package/dist/cities.json").read_text(encoding="utf-8")))


def main() -> None:
    provinces, cities = _package_files(default_cache_dir())
    data = {
        "format": "xueshi.places/1",
        "source": f"npm 包 {PACKAGE} {VERSION}（中华人民共和国行政区划：省级、地级），拼音由 pypinyin 生成；"
                  "由 python -m sitebuild.places 写出，请勿手改",
        "places": places(provinces, cities),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(data['places'])} 个地方 -> {OUT}")


if __name__ == "__main__":
    main()
