"""Agencies: the registry (``corpus/agencies.yaml``: names, aliases, succession, groups)
and the bodies the documents name that the registry does not list.

Names resolve on folded text (case and diacritics ignored) with abbreviations spelled
out, so "Sở KH&CN", "so khcn" and "Sở Khoa học và Công nghệ" all denote ``so-khcn``. The
registry's provincial agencies are its provinces' (``provinces:``): in a document another
province issued, "Sở Tài chính" is that province's department, an entity of its own.

A body found only in a document ("Cục Biến đổi khí hậu", "Sở Giao dịch chứng khoán Hà
Nội") becomes an agency with a stable id (a slug of its name, and of its province for a
provincial body), so it has a page and a digest like the registry's agencies.

Every agency has a ``jurisdiction``: a province or city, or ``national``. A body a province's
document names (UBND tỉnh X, Tỉnh ủy X, HĐND X, a Sở of X) is X's unless it is a central body
(a ministry, the Government, a national corporation …): "Sở Công Thương" of three provinces are
three agencies. The document's place is ``place_of(doc)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ingest.assign.holders import role_name
from ingest.body_vocab import Gazetteer
from ingest.catalog import slug
from ingest.expand import expand_inline
from ingest.models import NATIONAL
from ingest.normalize import fold, folded, name_key, normalize_text
from ingest.tokens import has_diacritics

# Aliases that are too short or too common to find in running text on their own;
# they still resolve when a whole query or heading is exactly the alias.
_NOT_IN_RUNNING_TEXT = {"bao", "dai"}
_PROVINCIAL = re.compile(r"^(?:sở|ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd|công an|thanh tra|ban quản lý|văn phòng ủy ban"
                         r"|tỉnh ủy|ban thường vụ tỉnh ủy|kho bạc nhà nước tỉnh|đài phát thanh|báo |trung tâm|các sở|các cơ quan"
                         r"|các đơn vị|các phòng|phòng |chi cục|bộ chỉ huy quân sự tỉnh)|\b(?:tỉnh|xã|phường|huyện)\b")


@dataclass
class Agency:
    id: str
    name: str
    kind: str = "khac"
    level: str = "tinh"
    aliases: list[str] = field(default_factory=list)
    active: bool = True
    covers: dict = field(default_factory=dict)  # groups: {"kinds": […], "levels": […], "ids": […]}
    origin: str = "registry"  # registry | document
    province: str | None = None  # for a document's provincial body: the province it belongs to
    jurisdiction: str | None = None  # a province or city, or NATIONAL (``Registry.load``, ``document_agency``)


@dataclass
class Succession:
    from_id: str
    to_id: str
    date: str | None
    source: str
    note: str = ""
    scope: str = "full"


@lru_cache(maxsize=65536)
def key(text: str, marks: bool = False, spell_out: bool = True) -> str:
    """A name as compared: lower case, abbreviations spelled out, punctuation and "các"
    dropped, diacritics folded (kept with ``marks``, so "chỉ số tài chính" is not "Sở Tài chính").

    >>> key("Sở KH&CN") == key("so khoa hoc va cong nghe")
    True
    >>> key("UBND các xã, phường") == key("Ủy ban nhân dân xã phường")
    True
    >>> key("UBND TP.HCM") == key("Ủy ban nhân dân Thành phố Hồ Chí Minh"), key("UBND TP Hà Nội") == key("Ủy ban nhân dân thành phố Hà Nội")
    (True, True)
    >>> key("chỉ số tài chính", marks=True).endswith(key("Sở Tài chính", marks=True))
    False
    """
    text = normalize_text(expand_inline(text) if spell_out else text).lower()
    words = re.sub(r"[^\w&]+", " ", text if marks else fold(text)).split()
    return " ".join(w for w in words if w not in ("cac", "các", "cap", "cấp"))


# What follows a body's name in a header read as one line: the national motto, numbers.
_AFTER_NAME = re.compile(r"\s(?:cộng hòa|cộng hoà|độc lập|đảng cộng sản)\b.*$|\s\S*\d.*$", re.IGNORECASE)
_PLACE = re.compile(r"(?:\b(?:tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|tỉnh|thành phố|tp\.?)\s+|\btp\.)"
                    r"(?=(?P<p>\w+(?:\s+\w+)*))", re.IGNORECASE)
_CAPITAL = re.compile(r"^[A-ZĐÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸ]")
# Other ways a place is written ("TP.HCM"), folded, and the name its documents give it.
PLACE_ALIASES = {"tp.hcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "hcm": "Hồ Chí Minh",
                 "sai gon": "Hồ Chí Minh"}


def province_of(issuer: str | None) -> str | None:
    """"Ủy ban nhân dân tỉnh Lào Cai" → "Lào Cai"; None for a central body. A header read as one
    line ("… tỉnh Bắc Ninh Cộng Hòa xã Hội Chủ Nghĩa Việt Nam 84/2025/qđ-ubnd") ends at the motto.

    >>> province_of("Ủy ban nhân dân tỉnh Lào Cai"), province_of("Thủ tướng Chính phủ")
    ('Lào Cai', None)
    >>> province_of("Ủy ban nhân dân thành phố Hồ Chí Minh Cộng Hòa xã Hội Chủ Nghĩa Việt Nam 2820/qđ-ubnd")
    'Hồ Chí Minh'
    >>> province_of("Tỉnh ủy Lào Cai"), province_of("Ban Thường vụ Tỉnh ủy tỉnh Mẫu")
    ('Lào Cai', 'Mẫu')
    """
    text = _AFTER_NAME.sub("", normalize_text(issuer or "")).strip()
    for m in _PLACE.finditer(text):
        words = []
        for w in m["p"].split():
            if not _CAPITAL.match(w):
                break
            words.append(w)
        if words:
            return " ".join(words)
    return None


def place_of(doc) -> str | None:
    """The province or city a document is of (None: a central body's, or unknown): the
    jurisdiction ingest read from its header (``Header.place``: a province or city, or
    "national"), else the one its issuer names (trees saved before ingest read it)."""
    explicit = doc.header.place
    if explicit:
        return None if explicit == NATIONAL else explicit
    return _province(doc.header.issuer)


_province = lru_cache(maxsize=4096)(province_of)


def canonical_place(text: str) -> str:
    """A place as its documents write it: "TP.HCM" → "Hồ Chí Minh"."""
    return PLACE_ALIASES.get(name_key(text), text)


def _registry_jurisdiction(a: Agency, provinces: list[str]) -> str:
    """A registry agency's jurisdiction: national for a central one; for a provincial one, the
    province of its time: the first of ``provinces`` (the plan's) when it no longer exists, the
    last (today's) otherwise, so the plan's Sở NN&PTNT of Bình Thuận passed to the Sở Nông nghiệp
    và Môi trường of (new) Lâm Đồng."""
    if a.level == "trung-uong" or not provinces:
        return NATIONAL
    return provinces[-1] if a.active else provinces[0]


class Registry:
    def __init__(self, agencies: list[Agency], succession: list[Succession], provinces: list[str] | None = None):
        self.agencies = {a.id: a for a in agencies}
        self.succession = succession
        self.provinces = provinces or []
        self._by_key: dict[str, str] = {}
        for a in agencies:
            for name in [a.name, *a.aliases]:
                self._by_key.setdefault(key(name), a.id)
        self._by_fold: dict[str, str] = {}
        self._marked: dict[str, set[str]] = {}  # folded key -> the names as written, lower case
        for a in agencies:
            for name in [a.name, *a.aliases]:
                k = " ".join(folded(name, hyphens=True).split())
                self._by_fold.setdefault(k, a.id)
                self._marked.setdefault(k, set()).add(" ".join(normalize_text(name).lower().split()))

    @classmethod
    def load(cls, path: Path) -> Registry:
        if not path.exists():
            return cls([], [])
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known = set(Agency.__dataclass_fields__) - {"origin", "province"}
        agencies = [Agency(**{k: v for k, v in a.items() if k in known}) for a in data.get("agencies", [])]
        provinces = list(data.get("provinces", []))
        for a in agencies:
            a.aliases = list(a.aliases or [])
            a.jurisdiction = a.jurisdiction or _registry_jurisdiction(a, provinces)
        succession = [
            Succession(s["from"], s["to"], str(s.get("date")) if s.get("date") else None, s.get("source", ""),
                       s.get("note", ""), s.get("scope", "full"))
            for s in data.get("succession", [])
        ]
        return cls(agencies, succession, provinces)

    def with_agencies(self, extra: list[Agency]) -> Registry:
        """This registry and the documents' own bodies together."""
        return Registry([*self.agencies.values(), *(a for a in extra if a.id not in self.agencies)], self.succession,
                        self.provinces)

    def gazetteer(self) -> Gazetteer:
        """The registry's names, for the recogniser of bodies in documents."""
        names = [n for a in self.agencies.values() if a.origin == "registry" for n in [a.name, *a.aliases]]
        return Gazetteer([n for n in names if folded(n, hyphens=True).strip() not in _NOT_IN_RUNNING_TEXT],
                         whole=[n for n in names])

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        # a role holder's name ("công chức", "cơ quan lập đề án") is running text in a question, no body's name
        keys = sorted((k for k, aid in self._by_fold.items() if k not in _NOT_IN_RUNNING_TEXT and len(k) > 2
                       and not is_holder(self.agencies[aid])), key=len, reverse=True)
        return re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, keys)) + r")(?![\w&])") if keys else None

    def resolve(self, name: str) -> Agency | None:
        """The agency a whole name or alias denotes ("Sở Công thương" → Sở Công Thương)."""
        aid = self._by_key.get(key(name)) or self._by_fold.get(" ".join(folded(name, hyphens=True).split()))
        return self.agencies.get(aid) if aid else None

    def find(self, text: str) -> list[tuple[Agency, int, int]]:
        """Agencies named in ``text`` with their offsets (offsets in NFC-normalised ``text``).

        A text written with diacritics names an agency only with the agency's own marks:
        "chỉ số tài chính" does not name Sở Tài chính.
        """
        if self._pattern is None:
            return []
        norm = normalize_text(text)
        running = folded(text, hyphens=True)  # one character for each of ``norm``'s
        marks = has_diacritics(text)
        out = []
        for m in self._pattern.finditer(running):
            k = m.group(1)
            if marks and has_diacritics(norm[m.start() : m.end()]) and \
                    " ".join(norm[m.start() : m.end()].lower().split()) not in self._marked.get(k, ()):
                continue
            out.append((self.agencies[self._by_fold[k]], m.start(), m.end()))
        return out

    def serves(self, agency: Agency, place: str) -> bool:
        """Whether ``agency`` acts in ``place``: a national one anywhere; the registry's provincial
        ones in its provinces; a document's body in its own."""
        where = agency.jurisdiction or NATIONAL
        if where == NATIONAL:
            return True
        if agency.origin == "registry":
            return fold(place) in {fold(p) for p in self.provinces}
        return fold(where) == fold(place)

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

    def current(self, agency_id: str | None) -> list[Agency]:
        """Today's holders of an agency's duties (itself when still active), following chains."""
        a = self.agencies.get(agency_id) if agency_id else None
        if a is None:
            return []
        if a.active:
            return [a]
        seen, out = {agency_id}, []
        for s in self.successors(agency_id):
            if s.to_id not in seen:
                seen.add(s.to_id)
                out += [x for x in self.current(s.to_id) if x not in out]
        return out

    def covers(self, group_id: str | None, agency: Agency) -> bool:
        """Whether a group's tasks fall to ``agency`` too (the group's ``covers`` in the registry)."""
        group = self.agencies.get(group_id) if group_id else None
        if group is None or not group.covers or agency.id == group_id:
            return False
        c = group.covers
        if agency.id in c.get("ids", []):
            return True
        return agency.kind in c.get("kinds", []) and agency.level in c.get("levels", [agency.level])


def jurisdiction_of(name: str, place: str | None) -> str:
    """Where a body a document of ``place`` names belongs: that place, unless the body is a
    central one (a ministry, the Government …) or the document is a central body's.

    >>> jurisdiction_of("Sở Công Thương", "Lào Cai"), jurisdiction_of("Bộ Công Thương", "Lào Cai")
    ('Lào Cai', 'national')
    >>> jurisdiction_of("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hà Tĩnh")
    'Hà Tĩnh'
    >>> jurisdiction_of("UBND các tỉnh", "Sơn La"), jurisdiction_of("Sở Công Thương các tỉnh, thành phố", "Sơn La")
    ('national', 'national')
    """
    if not place:
        return NATIONAL
    text = normalize_text(name).lower()
    if _PROVINCES.search(text):
        return NATIONAL  # "UBND các tỉnh", "Sở Công Thương các tỉnh": every province's, not the document's own
    if _PROVINCIAL.search(text) or not _CENTRAL.search(text):
        return place
    return NATIONAL


_PROVINCES = re.compile(r"\b(?:các|những) (?:tỉnh|thành phố trực thuộc|tỉnh, thành phố)\b")
# Central bodies: a document of a province names them too, and they are no province's.
_CENTRAL = re.compile(r"^(?:các\s+)?(?:bộ\b|chính phủ|thủ tướng|phó thủ tướng|quốc hội|văn phòng chính phủ|tập đoàn|tổng công ty"
                      r"|ngân hàng nhà nước|kiểm toán nhà nước|tòa án nhân dân tối cao|viện kiểm sát nhân dân tối cao"
                      r"|đảng ủy chính phủ|đảng uỷ chính phủ|đảng ủy quốc hội|đảng uỷ quốc hội|ban cán sự đảng|cục\b|tổng cục"
                      r"|ủy ban dân tộc|thông tấn xã)|trung ương|việt nam\s*$")


def is_holder(a: Agency) -> bool:
    """A document's role holder ("Công chức"): no body a question can name."""
    return a.origin == "document" and role_name(a.name)


def document_agency(name: str, group: bool, province: str | None) -> Agency:
    """The agency of a body only a document names: id from its name (and its province, for a
    body of the document's place: one agency per body and jurisdiction)."""
    where = jurisdiction_of(name, province)
    provincial = where != NATIONAL
    aid = slug(f"{key(name)} {province}" if provincial else key(name))[:80]
    level = "tinh" if provincial and _PROVINCIAL.search(normalize_text(name).lower()) else "khac"
    return Agency(aid, name, "nhom" if group else "khac", level, origin="document",
                  province=province if provincial else None, jurisdiction=where)
