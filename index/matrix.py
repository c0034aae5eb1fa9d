"""The responsibility matrix: agency × task × role × deadline × clause.

A view over the assignments ``ingest.assign`` read from each document when it was
ingested (stored with the document): here each named body is resolved to an agency
(the registry's, or a body only the documents name) and the rows are indexed by clause,
by numbered item and by agency. Nothing is re-read from the text.

Which rows concern an agency (``Matrix.for_agency``): its own; those of the agencies it
succeeded in full ("predecessor") or in part ("partial", shown as possibly its own, with
the registry's note on which part); and those addressed to a group whose ``covers`` in
the registry includes it ("catch-all").

A collective addressee ("các bộ, ngành, địa phương", "các sở, ngành", "UBND các xã, phường") is
told apart from a specific body by ``collective(row)``: answers never name it first when the
clause names a specific body too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from index.agencies import Agency, Registry, document_agency, place_of
from ingest.assign import RESPONSIBLE, ROLES, Role
from ingest.body_vocab import vocab
from ingest.models import Assignment, Clause, Document
from ingest.normalize import collapse_spaces, fold, normalize_text

__all__ = ["ROLES", "RESPONSIBLE", "Row", "Matrix", "build_matrix", "collective", "resolve"]


@dataclass(slots=True)
class Row:
    agency_id: str
    agency_name: str  # the name as the document writes it
    roles: list[str]
    clause_id: str
    item_id: str  # the numbered item (or table row) the clause belongs to
    doc_id: str
    task: str  # the clause's own text, normalised, one line
    deadlines: list[str] = field(default_factory=list)  # as written
    reporting: bool = False
    catch_all: bool = False  # addressed to a group ("Các sở, ban, ngành…")
    partners: list[str] = field(default_factory=list)  # the clause's other bodies with role phối hợp
    source: str = "heading"  # heading | table | sentence | list
    cue: str = ""
    start: int = -1  # the name's offsets in the document (-1: named in an enclosing heading)
    end: int = -1
    seg_start: int = 0  # the words of the clause this row was read from
    seg_end: int = 0
    due: list[dict] = field(default_factory=list)  # ``ingest.deadlines.Deadline`` as dicts
    collective: bool | None = None  # as ingest read it (None: not read; ``collective`` decides)
    office: str = ""  # the office the text charges, as written ("Chủ tịch UBND xã"), when a title names it

    @property
    def shown(self) -> str:
        """The name an answer gives: the office the text charges ("Chủ tịch Ủy ban nhân dân xã",
        "Người đứng đầu cơ quan chuyên môn"), else the body's name; the row stays the body's (its
        page, its tasks)."""
        return self.office or self.agency_name

    @property
    def role(self) -> str:
        return self.roles[0]

    @property
    def responsible(self) -> bool:
        return self.roles[0] in RESPONSIBLE


# A name that stands for many bodies: "các bộ, ngành", "các sở, ngành", "UBND các xã, phường",
# "các cơ quan, đơn vị có liên quan", "những địa phương …".
_COLLECTIVE = re.compile(r"^(?:các|những|mọi)\s|\b(?:các|những)\s+(?:bộ|sở|ngành|cơ quan|đơn vị|địa phương|xã|phường|huyện"
                         r"|tỉnh|tổ chức|đoàn thể|doanh nghiệp|cấp|ban|phòng|trường)\b|\b(?:có\s+)?liên quan\s*$")


def collective(row: Row) -> bool:
    """Whether a row's addressee is a collective ("các sở, ngành"), not one body: what ingest
    read (``Row.collective``) when it read it, else its group mark and its name.

    >>> r = Row("x", "Ủy ban nhân dân các xã, phường", ["chủ trì"], "d#1", "d#1", "d", "")
    >>> collective(r), collective(Row("y", "Sở Công Thương", ["chủ trì"], "d#1", "d#1", "d", ""))
    (True, False)
    """
    if row.collective is not None:
        return row.collective
    return row.catch_all or bool(_COLLECTIVE.search(normalize_text(row.agency_name).lower()))


def resolve(registry: Registry, name: str, group: bool, province: str | None) -> Agency:
    """The agency a body named in a document denotes: the registry's when the name is one of
    its names (and, for a provincial body, the document is of the registry's provinces), else
    the document's own body."""
    a = registry.resolve(name)
    if a is not None and a.origin == "registry":
        ours = bool(province) and fold(province) in {fold(p) for p in registry.provinces}
        local = a.level in ("tinh", "huyen", "xa")
        # A provincial body of another province is that province's; a group ("các cơ quan,
        # đơn vị có liên quan") is the registry's only in its own provinces' documents.
        if not local or ours or (province is None and a.kind != "nhom" and not group):
            return a
    if a is not None and a.origin == "document" and a.province == province:
        return a
    return document_agency(name, group, province)


# the titles of the people who head a body, as the text writes them ("Giám đốc Sở Y tế", "Thủ
# trưởng các sở, ban, ngành", "Chủ tịch UBND các xã", "người đứng đầu cơ quan, đơn vị"): the
# vocabulary's titles (``ingest/data/bodies.yaml``), longest first, a deputy's too
_TITLE = r"(?:Phó\s+)?(?:%s)" % "|".join(r"\s+".join(map(re.escape, p)) for p in vocab()["titles"])
_TITLE_BEFORE = re.compile(rf"(?:(?<=^)|(?<=[\s(,;:*_]))({_TITLE})[\s*_]+$")
_TITLE_OPENS = re.compile(rf"{_TITLE}\s")


def charged_office(source: str, start: int, end: int, name: str) -> str:
    r"""The office the text charges with the body named at ``start:end`` of ``source`` ("" when
    no title names it): the title written right before the name with the name, or the words
    written when a title opens them and the name read is the body's ("Người đứng đầu cơ quan,
    đơn vị" read as "các cơ quan, đơn vị").

    >>> charged_office("2. Giao Chủ tịch UBND các xã chỉ đạo", 17, 28, "UBND các xã"), charged_office("Giao UBND các xã", 5, 16, "UBND các xã")
    ('Chủ tịch UBND các xã', '')
    >>> charged_office("giao **Giám đốc** Sở Y tế", 18, 25, "Sở Y tế"), charged_office("tăng trưởng Sở Y tế", 12, 19, "Sở Y tế")
    ('Giám đốc Sở Y tế', '')
    >>> charged_office("(1) Người đứng đầu cơ\nquan, đơn vị chỉ đạo", 4, 34, "các cơ quan, đơn vị")
    'Người đứng đầu cơ quan, đơn vị'
    """
    if start < 0:
        return ""
    if m := _TITLE_BEFORE.search(source[max(0, start - 40) : start]):
        title = " ".join(m.group(1).split())
        return f"{title[0].upper()}{title[1:]} {name}"  # "người đứng đầu các sở" opens an answer
    written = " ".join(source[start:end].split())
    if _TITLE_OPENS.match(written) and not _TITLE_OPENS.match(name):
        return f"{written[0].upper()}{written[1:]}"
    return ""


def _item_of(doc_clauses: dict[str, Clause], c: Clause) -> str:
    """The numbered item or table row a clause belongs to (a bullet's item, a sub-bullet's)."""
    while c.kind == "bullet" and c.parent and c.parent in doc_clauses:
        c = doc_clauses[c.parent]
    return c.id


def rows_for_document(registry: Registry, doc: Document) -> tuple[list[Row], list[Agency]]:
    """The document's rows, and the agencies of the bodies the registry does not know."""
    by_id = {c.id: c for c in doc.clauses}
    province = place_of(doc)
    by_clause: dict[str, list[Assignment]] = {}
    for a in doc.assignments:
        by_clause.setdefault(a.clause_id, []).append(a)
    rows, extra = [], {}
    for clause_id, found in by_clause.items():
        c = by_id.get(clause_id)
        if c is None:
            continue
        task = collapse_spaces(normalize_text(c.own_text))
        partners = list(dict.fromkeys(a.agency for a in found if a.role == Role.PARTNER))
        for a in found:
            agency = resolve(registry, a.agency, a.group, province)
            if agency.origin == "document":
                extra.setdefault(agency.id, agency)
            rows.append(Row(
                agency.id, a.agency, list(a.roles or [a.role]), c.id, _item_of(by_id, c), doc.id, task,
                [d["text"] for d in a.deadlines], Role.REPORTS in (a.roles or [a.role]),
                a.group or agency.kind == "nhom", [p for p in partners if p != a.agency], a.source, a.cue,
                a.start, a.end, a.seg_start, a.seg_end, list(a.deadlines), getattr(a, "collective", None),
                charged_office(doc.source, a.start, a.end, a.agency),
            ))
    return rows, list(extra.values())


class Matrix:
    def __init__(self, rows: list[Row], registry: Registry, unit_row: dict[str, int]):
        self.rows = rows
        self.registry = registry  # the registry's agencies and the documents' own bodies
        self.unit_row = unit_row  # clause id -> unit index
        self.by_clause: dict[str, list[Row]] = {}
        self.by_item: dict[str, list[Row]] = {}
        self.by_agency: dict[str, list[int]] = {}  # positions in ``rows``, so merged lists sort by position
        self.tasked_in = lru_cache(maxsize=64)(self._with_tasks)
        for i, r in enumerate(rows):
            self.by_clause.setdefault(r.clause_id, []).append(r)
            self.by_item.setdefault(r.item_id, []).append(r)
            self.by_agency.setdefault(r.agency_id, []).append(i)

    def rows_of(self, clause: Clause) -> list[Row]:
        """Rows of a clause, or of its bullets when the clause is their item."""
        return self.by_clause.get(clause.id) or (self.by_item.get(clause.id, []) if clause.children else [])

    @cached_property
    def names(self) -> dict[str, set[str]]:
        """Each agency's names as the documents write them."""
        out: dict[str, set[str]] = {}
        for r in self.rows:
            out.setdefault(r.agency_id, set()).add(r.agency_name)
        return out

    def _with_tasks(self, docs: frozenset[str]) -> frozenset[str]:
        """Agencies with a task (not only a report to receive) in ``docs`` (all documents when
        empty); ``tasked_in`` keeps them per set of documents asked about."""
        return frozenset(r.agency_id for r in self.rows if (not docs or r.doc_id in docs) and r.roles[0] != Role.RECEIVES)

    @cached_property
    def assigned_units(self) -> set[int]:
        """Units whose clause (or whose bullets) some agency is responsible for."""
        ids = {r.clause_id for r in self.rows if r.responsible} | {r.item_id for r in self.rows if r.responsible}
        return {self.unit_row[i] for i in ids if i in self.unit_row}

    def for_agency(self, agency_id: str) -> list[tuple[Row, str]]:
        """Rows that concern ``agency_id``, each with why: own | predecessor | partial | catch-all."""
        agency = self.registry.agencies.get(agency_id)
        chain = {s.from_id: s for s in self.registry.predecessors(agency_id)}
        out = [(i, "own") for i in self.by_agency.get(agency_id, [])]
        for pred, s in chain.items():
            why = "predecessor" if s.scope == "full" else "partial"
            out += [(i, why) for i in self.by_agency.get(pred, [])]
        if agency is not None and agency.origin == "registry":
            for group in self.registry.agencies.values():
                if group.covers and self.registry.covers(group.id, agency):
                    # what the group is given to do, not where it is named as a partner
                    out += [(i, "catch-all") for i in self.by_agency.get(group.id, []) if self.rows[i].responsible]
        return [(self.rows[i], why) for i, why in sorted(out, key=lambda iw: iw[0])]

    def unit_rows_for(self, agency_id: str) -> set[int]:
        """Unit indexes of the clauses that concern ``agency_id`` (for the agency filter)."""
        return {self.unit_row[r.clause_id] for r, _ in self.for_agency(agency_id) if r.clause_id in self.unit_row}

    def succession_of(self, row: Row, agency_id: str):
        """The succession that brings ``row`` (another agency's) to ``agency_id``, if any."""
        return next((s for s in self.registry.predecessors(agency_id) if s.from_id == row.agency_id), None)


def build_matrix(documents: dict[str, Document], registry: Registry, units: list[dict]) -> Matrix:
    rows, extra = [], {}
    for d in documents.values():
        found, agencies = rows_for_document(registry, d)
        rows += found
        for a in agencies:
            extra.setdefault(a.id, a)
    unit_row = {u["id"]: i for i, u in enumerate(units)}
    return Matrix(rows, registry.with_agencies(list(extra.values())), unit_row)
