"""The place registry indexed, and the answer for a place: its own rule sets, else its nearest
parent's, else the national frame's (`Catalog.answer_for`), each said for what it is (a place
without its own is told so, never answered silently with another place's figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..models.places import Place


class Places:
    """The place registry (models/places.py) indexed by code."""

    def __init__(self, places: Iterable[Place]):
        self._by_code = {p.code: p for p in places}

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def get(self, code: str | None) -> Place | None:
        return self._by_code.get(code or "")

    def all(self) -> list[Place]:
        return list(self._by_code.values())

    def lineage(self, code: str) -> list[Place]:
        """The place and every place above it, nearest first (湘西 -> 湖南 -> 全国)."""
        out: list[Place] = []
        current = self.get(code)
        while current is not None and current not in out:
            out.append(current)
            current = self.get(current.parent)
        return out


@dataclass(frozen=True)
class Answer:
    """The rule set that answers for a place, regime and year, and whose it is."""

    rule_set: str
    place: Place | None  # the person's place (None when it is not in the registry)
    applied: str  # code of the jurisdiction whose rule set answers

    @property
    def is_own(self) -> bool:
        return self.place is None or self.place.code == self.applied
