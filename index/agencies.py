"""The agency registry (``corpus/agencies.yaml``): names, aliases and succession.

Finding agencies in text is alias matching on folded text (case and diacritics
ignored), longest alias first, whole words only, so "Sở KH&CN", "so khcn" and
"Sở Khoa học và Công nghệ" all find ``so-khcn``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from ingest.normalize import fold, normalize_text

# Aliases that are too short or too common to find in running text on their own;
# they still resolve when a whole query or heading is exactly the alias.
_NOT_IN_RUNNING_TEXT = {"bao", "dai"}


@dataclass
class Agency:
    id: str
    name: str
    kind: str = "khac"
    level: str = "tinh"
    aliases: list[str] = field(default_factory=list)
    active: bool = True


@dataclass
class Succession:
    from_id: str
    to_id: str
    date: str | None
    source: str
    note: str = ""
    scope: str = "full"


def _key(text: str) -> str:
    return " ".join(fold(normalize_text(text)).replace("–", "-").split())


class Registry:
    def __init__(self, agencies: list[Agency], succession: list[Succession]):
        self.agencies = {a.id: a for a in agencies}
        self.succession = succession
        self._by_key: dict[str, str] = {}
        for a in agencies:
            for name in [a.name, *a.aliases]:
                self._by_key.setdefault(_key(name), a.id)

    @classmethod
    def load(cls, path: Path) -> Registry:
        if not path.exists():
            return cls([], [])
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known = set(Agency.__dataclass_fields__)
        agencies = [Agency(**{k: v for k, v in a.items() if k in known}) for a in data.get("agencies", [])]
        succession = [
            Succession(s["from"], s["to"], str(s.get("date")) if s.get("date") else None, s.get("source", ""),
                       s.get("note", ""), s.get("scope", "full"))
            for s in data.get("succession", [])
        ]
        return cls(agencies, succession)

    @cached_property
    def _pattern(self) -> re.Pattern:
        keys = sorted((k for k in self._by_key if k not in _NOT_IN_RUNNING_TEXT and len(k) > 2), key=len, reverse=True)
        return re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, keys)) + r")(?![\w&])")

    def resolve(self, name: str) -> Agency | None:
        """The agency a whole name or alias denotes ("Sở Công thương" → Sở Công Thương)."""
        aid = self._by_key.get(_key(name))
        return self.agencies.get(aid) if aid else None

    def find(self, text: str) -> list[tuple[Agency, int, int]]:
        """Agencies named in ``text`` with their offsets (offsets in NFC-normalised ``text``)."""
        if not self._by_key:
            return []
        folded = _key_preserving(text)
        out = []
        for m in self._pattern.finditer(folded):
            out.append((self.agencies[self._by_key[m.group(1)]], m.start(), m.end()))
        return out

    def successors(self, agency_id: str) -> list[Succession]:
        return [s for s in self.succession if s.from_id == agency_id]

    def predecessors(self, agency_id: str) -> list[Succession]:
        """Agencies whose duties passed (in full or in part) to ``agency_id``, transitively."""
        out, todo = [], [agency_id]
        while todo:
            cur = todo.pop()
            for s in self.succession:
                if s.to_id == cur and s not in out:
                    out.append(s)
                    todo.append(s.from_id)
        return out

    def current(self, agency_id: str) -> list[Agency]:
        """Today's holders of an agency's duties (itself when still active)."""
        a = self.agencies[agency_id]
        if a.active:
            return [a]
        return [self.agencies[s.to_id] for s in self.successors(agency_id)]


def _key_preserving(text: str) -> str:
    """Folded text of the same length as the NFC text (spaces kept one for one)."""
    return fold(normalize_text(text)).replace("–", "-")
