"""The document catalog (``corpus/catalog.yaml``): ids, numbers and links of every known
document, including those whose text is not loaded yet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ingest.normalize import fold, number_key


@dataclass
class Entry:
    id: str
    type: str | None = None
    number: str | None = None
    number_known: bool = True
    issuer: str | None = None
    date: str | None = None
    title: str | None = None
    short: str | None = None
    file: str | None = None
    aliases: list[str] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)


@dataclass
class Catalog:
    entries: dict[str, Entry] = field(default_factory=dict)

    def by_file(self, name: str) -> Entry | None:
        return next((e for e in self.entries.values() if e.file and e.file == name), None)

    def by_number(self, number: str) -> Entry | None:
        """The entry whose number matches (case- and diacritic-insensitive, spaces aside: "36 - NQ/TW" is "36-NQ/TW")."""
        key = number_key(number)
        return next((e for e in self.entries.values() if e.number and number_key(e.number) == key), None)


def load_catalog(path: Path) -> Catalog:
    """Read the catalog; a missing file is an empty catalog."""
    if not path.exists():
        return Catalog()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = set(Entry.__dataclass_fields__)
    entries = {}
    for raw in data.get("documents", []):
        e = Entry(**{k: v for k, v in raw.items() if k in known})
        entries[e.id] = e
    return Catalog(entries)


def slug(file_name: str) -> str:
    """A document id from a file name: the stem, folded, hyphenated.

    >>> slug("Luật Chuyển giao công nghệ 2017.docx")
    'luat-chuyen-giao-cong-nghe-2017'
    >>> slug("luat-chuyen-giao-cong-nghe-2017.docx")
    'luat-chuyen-giao-cong-nghe-2017'
    """
    stem = Path(file_name).stem
    s = fold(unicodedata.normalize("NFC", stem))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "tai-lieu"
