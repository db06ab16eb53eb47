"""The places a person may be from: China's provinces and prefecture-level divisions, with
the pinyin a person may type (rules/places.json, written by `python -m sitebuild.places`).

A rule set's jurisdiction is one of these places (by code) or sits under one (a unit names
its place as parent); a place without rule sets of its own is answered by its nearest
parent's, said so plainly.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

PLACES_FORMAT = "xueshi.places/1"
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$", max_length=64)]


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    code: Id
    name: str = Field(description="全称，例如 湘西土家族苗族自治州")
    short: str = Field(description="简称，例如 湘西")
    level: Literal["national", "province", "prefecture"]
    parent: Id | None = None
    admin_code: str | None = Field(default=None, description="行政区划代码的前几位（省 2 位、地级 4 位）")
    pinyin: str
    initials: str
    keys: list[str] = Field(default_factory=list, description="可输入查找的拼音与首字母")


class PlaceList(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: Literal["xueshi.places/1"] = PLACES_FORMAT
    source: str
    places: list[Place]
