"""The document graph over everything an index knows: its loaded documents and the catalog.

A reference found in a text ("Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Chương trình hành
động số 88") is resolved against the numbers of the loaded documents as well as the
catalog's, so two documents loaded together link without anyone typing a catalog entry.
"thực hiện / triển khai / căn cứ / cụ thể hóa" just before a reference makes an *implements* link;
"thay thế / bãi bỏ / hủy bỏ" a *replaces* link, "sửa đổi (, bổ sung)" an *amends* link; any other
reference a *cites* link. An article headed "Bãi bỏ toàn bộ các quyết định" replaces the
documents its items open with ("1. Quyết định số …"). A document's strongest statement about
another wins (replaces, then amends, implements, cites). The catalog's own links (``implements``,
``cites``) are kept.

Numbers repeat: "141/KH-UBND" is a plan of many provinces, "36-NQ/TW" a resolution of more
than one Party term. A reference resolves only when one document is left after the
reference's own type, year and the citing document's place are taken into account; an
ambiguous one links to nothing rather than to the wrong document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from index.engine import Engine
from ingest.models import Document, Reference
from ingest.normalize import folded, name_key, number_key
from ingest.references import listed_relation, stated_relation

_IMPLEMENTS_CUE = re.compile(r"(thuc hien|trien khai|can cu|cu the hoa)\W*$")
STRENGTH = {"replaces": 3, "amends": 2, "implements": 1, "cites": 0}
# A reference's type word and a document's type compared by family: a "Chương trình hành
# động" is cited as "Chương trình" as often as by its full name.
_FAMILIES = {"chuong trinh hanh dong": "chuong trinh", "nghi quyet lien tich": "nghi quyet",
             "thong tu lien tich": "thong tu"}


def type_family(doc_type: str | None) -> str | None:
    """The kind of document a type word names, as references and headers are compared.

    >>> type_family("Chương trình hành động"), type_family("CHƯƠNG TRÌNH"), type_family(None)
    ('chuong trinh', 'chuong trinh', None)
    """
    if not doc_type:
        return None
    t = name_key(doc_type)
    return _FAMILIES.get(t, t)


def identity(doc: Document) -> tuple[str, str, str] | None:
    """A document's type, number and issuer as compared across files: two files with the same
    identity are versions of one document. None unless all three are read.

    >>> from ingest.models import Header
    >>> identity(Document("x", "", header=Header(doc_type="KẾ HOẠCH", number="12/KH-UBND", number_known=True,
    ...                                           issuer="Ủy ban nhân dân tỉnh Mẫu")))
    ('ke hoach', '12/kh-ubnd', 'uy ban nhan dan tinh mau')
    """
    h = doc.header
    if not (h.doc_type and h.number and h.number_known and h.issuer):
        return None
    return type_family(h.doc_type), number_key(h.number), _key(h.issuer)


@dataclass(frozen=True)
class Target:
    """A document a reference may point to: a loaded one or a catalog entry."""

    id: str
    date: str | None  # ISO, or only its year
    family: str | None
    place: str | None
    issuer: str | None
    loaded: bool

    @property
    def year(self) -> str | None:
        return (self.date or "")[:4] or None


def _key(name: str | None) -> str | None:
    """A place or an issuer compared without case, diacritics or extra spaces."""
    return name_key(name) if name else None


class Resolver:
    """Loaded documents and catalog entries by number: full numbers ("88-CTr/TU") and short
    ones (a type and the number's leading digits: "Chương trình … số 88")."""

    def __init__(self, engine: Engine):
        self.full: dict[str, list[Target]] = defaultdict(list)
        self.short: dict[tuple[str | None, str], list[Target]] = defaultdict(list)
        for d in engine.documents.values():
            h = d.header
            self._add(h.number if h.number_known else None, Target(
                d.id, h.date or None, type_family(h.doc_type), _key(h.place), _key(h.issuer), True))
        for e in engine.catalog.entries.values():
            if e.id not in engine.documents:
                self._add(e.number if e.number_known else None, Target(
                    e.id, e.date or None, type_family(e.type), None, _key(e.issuer), False))

    def _add(self, number: str | None, t: Target) -> None:
        if not number or number.startswith("…"):
            return
        self.full[number_key(number)].append(t)
        if m := re.match(r"\d+", number):
            self.short[(t.family, m.group())].append(t)

    def resolve(self, ref: Reference, citing: Document) -> str | None:
        """The id of the one document ``ref`` names, or None (unknown or ambiguous)."""
        short = bool(re.fullmatch(r"\d+", ref.number))
        if short:
            candidates = self.short.get((type_family(ref.doc_type), ref.number), [])
        else:
            candidates = self.full.get(number_key(ref.number), [])
            family = type_family(ref.doc_type)
            if family and any(c.family == family for c in candidates):
                candidates = [c for c in candidates if c.family in (family, None)]
        place, issuer = _key(citing.header.place), _key(citing.header.issuer)
        after = folded(citing.source[ref.end : ref.end + 160])
        own = re.match(r"\d+", citing.header.number or "")
        if short and own and own.group() == ref.number:
            return None  # the document's own number, mistyped ("số 2609QĐ/UBND" in 2609/QĐ-UBND)
        candidates = [c for c in candidates if c.id != citing.id and _may_be(c, ref, place, issuer, short, after)]
        year = (ref.date or "")[:4]
        for keep in (lambda c: bool(year) and c.year == year,  # the date written beside the reference
                     lambda c: c.issuer is not None and c.issuer == issuer,  # a body citing its own document
                     lambda c: c.place is not None and c.place == place,
                     lambda c: c.loaded):
            narrowed = [c for c in candidates if keep(c)]
            if narrowed:
                candidates = narrowed
        ids = {c.id for c in candidates}
        if len({(c.date, c.family, c.place, c.issuer) for c in candidates}) == 1 and all(c.date for c in candidates):
            return min(ids)  # copies of one document (same number, date and issuer) loaded twice
        return ids.pop() if len(ids) == 1 else None


def _may_be(c: Target, ref: Reference, place: str | None, issuer: str | None, short: bool, after: str) -> bool:
    """Whether ``c`` can be the document a reference names, in a document of ``place``/``issuer``.

    - A date written beside the reference that is not the candidate's rules it out ("số 89/2025/QĐ-UBND
      ngày 15/7/2025" is not the 89/2025/QĐ-UBND of 28/11/2025 of another province).
    - A provincial document of another province is ruled out unless the words after the reference
      name that province: "của UBND tỉnh", "của HĐND Thành phố" mean the citing document's own.
    - A short reference ("Chương trình hành động số 88") names a document of the citing body or its
      place, or a national one of the year written beside it: the bare number of a document
      elsewhere is a coincidence.
    """
    if ref.date and c.date and (ref.date != c.date if len(c.date) == 10 and len(ref.date) == 10
                                else ref.date[:4] != c.date[:4]):
        return False
    local = c.place is not None and c.place != "national"
    if local and place is not None and c.place != place and c.place not in after:
        return False
    if short:
        return (c.place is None or (c.issuer is not None and c.issuer == issuer) or (local and c.place == place)
                or (bool(ref.date) and c.year == ref.date[:4]))
    return True


def relation(doc: Document, ref: Reference) -> str:
    """What the words just before the reference say the document does to it: 'replaces' or
    'amends' (``ingest.references.stated_relation``: the document itself must say so),
    'implements', else 'cites'."""
    sentence = re.sub(r"[ \t]+", " ", folded(doc.source[max(0, ref.start - 250) : ref.start]))
    said = stated_relation(sentence, doc.header.number if doc.header.number_known else None) or _listed(doc, ref)
    before = folded(doc.source[max(0, ref.start - 40) : ref.start])
    return said or ("implements" if _IMPLEMENTS_CUE.search(before) else "cites")


def _listed(doc: Document, ref: Reference) -> str | None:
    """What the heading of the article says of the documents its items list, for a reference
    that opens an item ("Điều 1. Bãi bỏ toàn bộ các quyết định" + "1. Quyết định số …")."""
    item = next((c for c in doc.clauses if c.id == ref.clause_id), None) if ref.clause_id else None
    article = next((c for c in doc.clauses if c.id == item.parent), None) if item and item.parent else None
    if article is None or article.kind != "article" or not item.start <= ref.start:
        return None
    return listed_relation(folded(article.heading), folded(doc.source[item.start : ref.start]))


def graph(engine: Engine) -> dict:
    """Nodes (every catalog entry and loaded document) and typed edges, with the citing clauses.

    Made once per engine (an engine serves one immutable generation)."""
    cached = engine.memo.get("graph")
    if cached is not None:
        return cached
    cat = engine.catalog.entries
    nodes = {e.id: {"id": e.id, "number": e.number, "type": e.type, "loaded": e.id in engine.documents,
                    "title": e.title} for e in cat.values()}
    for d in engine.documents.values():
        nodes.setdefault(d.id, {"id": d.id, "number": d.header.number, "type": d.header.doc_type, "loaded": True,
                                "title": d.header.title})
    edges: dict[tuple[str, str], dict] = {}
    for e in cat.values():
        for rel in ("implements", "cites"):
            for target in getattr(e, rel):
                edges[(e.id, target)] = {"from": e.id, "to": target, "type": rel, "source": "catalog", "clauses": []}
    resolver = Resolver(engine)
    for d in engine.documents.values():
        for ref in d.references:
            target = resolver.resolve(ref, d)
            if target is None:
                continue
            said = relation(d, ref)
            edge = edges.setdefault((d.id, target), {"from": d.id, "to": target, "type": said,
                                                     "source": "text", "clauses": []})
            if STRENGTH[said] > STRENGTH[edge["type"]] and (edge["source"] == "text" or said in ("replaces", "amends")):
                edge["type"] = said  # a later mention says what an earlier one did not
            if ref.clause_id and ref.clause_id not in edge["clauses"]:
                edge["clauses"].append(ref.clause_id)
    out = {"nodes": list(nodes.values()), "edges": list(edges.values())}
    engine.memo["graph"] = out
    return out


def status_of(engine: Engine, doc_id: str) -> dict[str, list[str]]:
    """The loaded documents that replace (``replaced_by``) or amend (``amended_by``) ``doc_id``."""
    by_target = engine.memo.get("status")
    if by_target is None:  # made once per engine, as the graph is
        by_target = {}
        for e in graph(engine)["edges"]:
            if e["from"] in engine.documents and e["type"] in ("replaces", "amends"):
                entry = by_target.setdefault(e["to"], {"replaced_by": [], "amended_by": []})
                entry["replaced_by" if e["type"] == "replaces" else "amended_by"].append(e["from"])
        engine.memo["status"] = by_target
    return by_target.get(doc_id, {"replaced_by": [], "amended_by": []})


def mentions(engine: Engine, doc: Document) -> list[tuple[Reference, str]]:
    """The references of ``doc`` that name one known document (loaded or in the catalog), with its id."""
    resolver = engine.memo.get("resolver")
    if resolver is None:
        resolver = engine.memo["resolver"] = Resolver(engine)
    return [(ref, target) for ref in doc.references if (target := resolver.resolve(ref, doc)) is not None]


def status_notes(engine: Engine, doc_ids: list[str]) -> list[str]:
    """What an answer says of the documents it cites that loaded ones replace or amend."""
    from index.answers import wording
    from index.answers.citation import doc_name

    notes = []
    for doc_id in dict.fromkeys(doc_ids):
        s = status_of(engine, doc_id)
        if s["replaced_by"]:
            notes.append(wording.replaced(doc_name(engine, doc_id), doc_name(engine, s["replaced_by"][0])))
        if s["amended_by"]:
            notes.append(wording.amended(doc_name(engine, doc_id), [doc_name(engine, d) for d in s["amended_by"]]))
    return notes
