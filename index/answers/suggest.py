"""What to suggest while a name is typed in the search box: agency names and aliases, document
numbers, short names and aliases that contain what was typed (case and diacritics ignored),
whole-name prefixes first, then word prefixes, then any match; shorter names first.

>>> rank("so tai chinh", "tai chinh"), rank("ke hoach 64", "ke hoach"), rank("so tai chinh", "ai ch")
(1, 0, 2)
"""

from __future__ import annotations

from functools import lru_cache

from ingest.normalize import name_key

_key = lru_cache(maxsize=4096)(name_key)  # every candidate's key, again at each keystroke


def rank(name: str, key: str) -> int | None:
    """0: ``name`` starts with ``key``; 1: a word of it does; 2: it contains it; None: no match
    (both folded)."""
    pos = name.find(key)
    if pos == -1:
        return None
    return 0 if pos == 0 else 1 if name[pos - 1] in " -/(" else 2


def candidates(engine) -> list[tuple[str, str, str]]:
    """(text, kind, id): every agency name and alias, every known document number and name."""
    out = []
    for a in engine.registry.agencies.values():
        out += [(t, "cơ quan", a.id) for t in [a.name, *a.aliases]]
    for e in engine.catalog.entries.values():
        out += [(t, "văn bản", e.id) for t in [e.number if e.number_known else None, e.short, *e.aliases] if t]
    return out


def suggest(engine, typed: str, limit: int = 10) -> list[tuple[str, str, str]]:
    """The best ``limit`` candidates for what was typed, each text once."""
    key = _key(typed)
    if not key:
        return []
    ranked = []
    for text, kind, ident in candidates(engine):
        r = rank(_key(text), key)
        if r is not None:
            ranked.append((r, len(text), text, kind, ident))
    out, seen = [], set()
    for _, _, text, kind, ident in sorted(ranked, key=lambda x: x[:3]):
        if text not in seen:
            seen.add(text)
            out.append((text, kind, ident))
    return out[:limit]
