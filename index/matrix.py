"""The responsibility matrix: agency × task × role × deadline × clause, read from the text.

Where the assignee comes from, in order:
1. a task-table row: its "Cơ quan chủ trì" / "Cơ quan phối hợp" columns;
2. the enclosing numbered item of a "Tổ chức thực hiện" section, whose heading names
   the agency ("8. Sở Tài chính") and whose bullets (or body) are its tasks;
3. elsewhere, an agency named at the start of the sentence (its subject).

Roles are the words the text uses (chủ trì, phối hợp, tham mưu, đầu mối, theo dõi/đôn
đốc, báo cáo). Nothing is guessed: a task with no stated role is "thực hiện".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from index.agencies import Agency, Registry
from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, fold, normalize_text

# In order of precedence: a row's first role is the one its answer leads with.
ROLES = ("đầu mối", "chủ trì", "theo dõi, đôn đốc", "tham mưu", "phối hợp", "báo cáo", "thực hiện")
_ROLE_PATTERNS = [
    ("đầu mối", re.compile(r"\bdau moi\b")),
    ("theo dõi, đôn đốc", re.compile(r"\b(theo doi|don doc)\b")),
    ("chủ trì", re.compile(r"\bchu tri\b")),
    ("phối hợp", re.compile(r"(?<!chu tri )\bphoi hop\b")),
    ("tham mưu", re.compile(r"\btham muu\b")),
    ("báo cáo", re.compile(r"\bbao cao\b")),
]
_DEADLINE = re.compile(
    r"(?:vào |trước )?(?:tháng \d{1,2}|quý [IV]+|ngày \d{1,2}/\d{1,2})(?: (?:hàng|hằng) năm|/\d{4}| năm \d{4})"
    r"|(?:hàng|hằng) năm|định kỳ(?: hàng năm| hằng năm)?|(?:đến|trước) năm \d{4}",
    re.IGNORECASE,
)
_ORG_SECTION = re.compile(r"to chuc thuc hien")


@dataclass
class Row:
    agency_id: str | None  # registry id (None when the name is not in the registry)
    agency_name: str  # the name as the document writes it
    roles: list[str]
    clause_id: str
    item_id: str  # the numbered item ("…#III.8")
    doc_id: str
    task: str  # the clause text, normalised, one line
    deadlines: list[str] = field(default_factory=list)
    reporting: bool = False
    catch_all: bool = False  # addressed to a group ("Các sở, ban, ngành…")
    partners: list[str] = field(default_factory=list)  # other agencies the clause names
    source: str = "heading"  # heading | table | subject


def roles_in(text: str) -> list[str]:
    """Roles a task text states, in the order of ``ROLES``.

    >>> roles_in("Chủ trì phối hợp với các cơ quan … tham mưu UBND tỉnh bố trí kinh phí")
    ['chủ trì', 'tham mưu']
    >>> roles_in("Là cơ quan đầu mối theo dõi, đôn đốc …; định kỳ tổng hợp, báo cáo UBND tỉnh")
    ['đầu mối', 'theo dõi, đôn đốc', 'báo cáo']
    >>> roles_in("Phối hợp với các cơ quan, đơn vị có liên quan đẩy mạnh thu hút đầu tư")
    ['phối hợp']
    """
    f = fold(normalize_text(text))
    found = {r for r, p in _ROLE_PATTERNS if p.search(f)}
    return [r for r in ROLES if r in found] or ["thực hiện"]


def deadlines_in(text: str) -> list[str]:
    """Example:

    >>> deadlines_in("báo cáo UBND tỉnh kết quả thực hiện vào tháng 12 hàng năm")
    ['tháng 12 hàng năm']
    """
    out = []
    for m in _DEADLINE.finditer(normalize_text(text)):
        d = re.sub(r"^(vào|trước) ", "", m.group(0))
        if d not in out:
            out.append(d)
    return out


class Matrix:
    def __init__(self, rows: list[Row], registry: Registry, unit_row: dict[str, int]):
        self.rows = rows
        self.registry = registry
        self.unit_row = unit_row  # clause id -> unit index
        self.by_clause: dict[str, list[Row]] = {}
        self.by_item: dict[str, list[Row]] = {}
        for r in rows:
            self.by_clause.setdefault(r.clause_id, []).append(r)
            self.by_item.setdefault(r.item_id, []).append(r)

    def rows_of(self, clause: Clause) -> list[Row]:
        """Rows of a clause, or of its bullets when the clause is their item."""
        return self.by_clause.get(clause.id) or (self.by_item.get(clause.id, []) if clause.children else [])

    @cached_property
    def assigned_units(self) -> set[int]:
        """Units whose clause (or whose bullets) some agency is assigned."""
        ids = set(self.by_clause) | set(self.by_item)
        return {self.unit_row[i] for i in ids if i in self.unit_row}

    def for_agency(self, agency_id: str) -> list[tuple[Row, str]]:
        """Rows that concern ``agency_id``, each with why: own | predecessor | catch-all."""
        pred = {s.from_id for s in self.registry.predecessors(agency_id)}
        agency = self.registry.agencies.get(agency_id)
        out = []
        for r in self.rows:
            if r.agency_id == agency_id:
                out.append((r, "own"))
            elif r.agency_id in pred:
                out.append((r, "predecessor"))
            elif r.catch_all and agency is not None and covers(self.registry, r.agency_id, agency):
                out.append((r, "catch-all"))
        return out

    def unit_rows_for(self, agency_id: str) -> set[int]:
        """Unit indexes of the clauses that concern ``agency_id`` (for the agency filter)."""
        return {self.unit_row[r.clause_id] for r, _ in self.for_agency(agency_id) if r.clause_id in self.unit_row}


def covers(registry: Registry, group_id: str | None, agency: Agency) -> bool:
    """Whether a catch-all group's tasks fall to ``agency`` too."""
    if group_id == "cac-so-ban-nganh":
        return agency.kind in ("so", "khac", "bao-dai") and agency.level == "tinh"
    if group_id == "ubnd-cac-huyen":
        return agency.id in ("ubnd-cac-xa",) or (agency.kind == "ubnd" and agency.level in ("huyen", "xa"))
    return False


def _agencies_in_heading(registry: Registry, heading: str) -> list[tuple[str | None, str]]:
    """(agency id, name as written) for each addressee a heading names.

    "Sở Thông tin và Truyền thông, Báo, Đài Phát thanh – Truyền hình" names three.
    """
    whole = registry.resolve(heading)
    if whole:
        return [(whole.id, heading)]
    out = []
    for part in re.split(r",\s*(?=[A-ZĐÂ])", heading):
        a = registry.resolve(part.strip())
        out.append((a.id if a else None, part.strip()))
    if all(aid is None for aid, _ in out):
        found = registry.find(heading)
        return [(a.id, heading[s:e]) for a, s, e in found[:1]] or [(None, heading)]
    return out


def _row(registry, doc, c, agency_id, name, source, extra_roles=()) -> Row:
    text = collapse_spaces(normalize_text(c.own_text if c.kind != "item" else c.own_text.split("\n", 1)[-1]))
    roles = list(dict.fromkeys([*extra_roles, *roles_in(text)]))
    if len(roles) > 1 and "thực hiện" in roles:
        roles.remove("thực hiện")
    agency = registry.agencies.get(agency_id) if agency_id else None
    partners = [a.name for a, _, _ in registry.find(text) if a.id != agency_id]
    item = c.parent if c.kind == "bullet" and c.parent else c.id
    return Row(agency_id, name, roles, c.id, item, doc.id, text, deadlines_in(text), "báo cáo" in roles,
               bool(agency and agency.kind == "nhom"), list(dict.fromkeys(partners)), source)


def rows_for_document(registry: Registry, doc: Document) -> list[Row]:
    by_id = {c.id: c for c in doc.clauses}
    rows: list[Row] = []
    for c in doc.clauses:
        parent = by_id.get(c.parent) if c.parent else None
        if c.kind == "row" and c.cells:
            rows += _table_rows(registry, doc, c)
        elif c.kind == "item" and parent and _ORG_SECTION.search(fold(parent.heading)):
            tasks = [by_id[x] for x in c.children if by_id[x].kind == "bullet"] or [c]
            for aid, name in _agencies_in_heading(registry, c.heading):
                rows += [_row(registry, doc, t, aid, name, "heading") for t in tasks]
        elif c.kind == "bullet" and parent and not (_under_org(by_id, c)):
            text = normalize_text(c.own_text).lstrip("-·•+ ")
            subject, end = [], 2
            for a, s, e in registry.find(text[:120]):  # agencies that open the sentence: its subject
                if s > end + 3:
                    break
                subject.append((a, text[s:e]))
                end = e
            rows += [_row(registry, doc, c, a.id, name, "subject") for a, name in subject]
    return rows


def _under_org(by_id: dict[str, Clause], c: Clause) -> bool:
    p = by_id.get(c.parent) if c.parent else None
    while p is not None:
        if _ORG_SECTION.search(fold(p.heading)):
            return True
        p = by_id.get(p.parent) if p.parent else None
    return False


def _table_rows(registry: Registry, doc: Document, c: Clause) -> list[Row]:
    cells = {fold(k): v for k, v in (c.cells or {}).items()}
    lead = next((v for k, v in cells.items() if "chu tri" in k), "")
    partners = next((v for k, v in cells.items() if "phoi hop" in k), "")
    due = next((v for k, v in cells.items() if "thoi han" in k or "thoi gian" in k), "")
    rows = []
    for names, role in ((lead, "chủ trì"), (partners, "phối hợp")):
        for part in filter(None, (p.strip() for p in re.split(r"[;,]\s*(?=[A-ZĐÂ])", names))):
            a = registry.resolve(part) or next((x for x, _, _ in registry.find(part)), None)
            r = _row(registry, doc, c, a.id if a else None, part, "table", (role,))
            r.roles = [role] + [x for x in r.roles if x not in ("chủ trì", "phối hợp", "thực hiện")]
            r.deadlines = [due] if due else r.deadlines
            rows.append(r)
    return rows


def build_matrix(engine) -> Matrix:
    rows = [r for d in engine.documents.values() for r in rows_for_document(engine.registry, d)]
    unit_row = {u["id"]: i for i, u in enumerate(engine.units)}
    return Matrix(rows, engine.registry, unit_row)
