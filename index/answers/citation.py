"""Citations in the form officers write in a reply: the clause from the smallest unit up,
then the document by its number, date and issuer.

    điểm a khoản 2 Mục III Kế hoạch số …/KH-UBND ngày … tháng 4 năm 2024 của UBND tỉnh Bình Thuận
    khoản 2 Điều 5 Luật Đất đai số 31/2024/QH15

Units follow the outline (``ingest.outline``): a Roman section is a "Mục", a numbered item
under it a "khoản" (under another item, a "điểm"), a lettered point a "điểm" (under a
"điểm", a "tiết"), a bullet a "gạch đầu dòng", a table row a "dòng" of its table. A number
the copy leaves blank stays "…"; a document with no number says "(chưa ghi số)", never
its id.

>>> vn_date("2024-04"), vn_date("2025-02-28"), vn_date("2024"), vn_date(None)
('ngày … tháng 4 năm 2024', 'ngày 28/02/2025', 'năm 2024', '')
>>> short_issuer("Ủy ban nhân dân tỉnh Bắc Ninh Cộng Hòa xã Hội Chủ Nghĩa Việt Nam")
'UBND tỉnh Bắc Ninh'
>>> document_words("Luật", "31/2024/QH15", "Quốc hội", "2024-01-18", "Đất đai")
'Luật Đất đai số 31/2024/QH15'
>>> document_words("Kế hoạch", None, "Ủy ban nhân dân tỉnh Mẫu", "2025-03-05", None)
'Kế hoạch (chưa ghi số) ngày 05/03/2025 của UBND tỉnh Mẫu'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, fold

_LAWS = ("luat", "bo luat", "hien phap")
_ABBREV = (("Ủy ban nhân dân", "UBND"), ("Uỷ ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"))
# What a header reader sometimes glues to the issuer: the national motto line, a number.
_NOISE = re.compile(r"\s*(?:cộng hòa xã hội chủ nghĩa việt nam|cộng hoà xã hội chủ nghĩa việt nam|đảng cộng sản việt nam)"
                    r".*$|\s*[/|]\s*$|\s+\d+/\S+$", re.IGNORECASE)
_TRAIL = re.compile(r"[\s,;:.]+$")


def vn_date(iso: str | None) -> str:
    """An ISO date (possibly partial) as a citation writes it."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"ngày {parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"ngày … tháng {int(parts[1])} năm {parts[0]}"
    return f"năm {parts[0]}"


def dmy(iso: str | None) -> str:
    """"2023-11-16" → "16/11/2023", "2024-04" → "tháng 4/2024" (for pages and tables).

    >>> dmy("2023-11-16"), dmy("2024-04"), dmy("2024"), dmy(None)
    ('16/11/2023', 'tháng 4/2024', '2024', '')
    """
    parts = iso.split("-") if iso else []
    if len(parts) == 2:
        return f"tháng {int(parts[1])}/{parts[0]}"
    return "/".join(reversed(parts))


def short_issuer(issuer: str | None) -> str:
    """The issuer as a citation names it: "UBND tỉnh …", without header noise."""
    if not issuer:
        return ""
    text = collapse_spaces(issuer)
    for _ in range(2):
        text = _NOISE.sub("", text)
    for long, short in _ABBREV:
        if fold(text).startswith(fold(long)):
            text = short + text[len(long):]
    return _TRAIL.sub("", text)


def document_words(doc_type: str | None, number: str | None, issuer: str | None, date: str | None,
                   title: str | None) -> str:
    """"Kế hoạch số …/KH-UBND ngày … tháng 4 năm 2024 của UBND tỉnh Bình Thuận"; a law by its name."""
    kind = doc_type or "Văn bản"
    no = f"số {number}" if number else "(chưa ghi số)"
    if fold(kind).lower() in _LAWS:
        name = f"{kind} {title}" if title and len(title) <= 80 else kind
        return f"{name} {no}" if number else name
    words = [kind, no, vn_date(date)]
    who = short_issuer(issuer)
    if who:
        words.append(f"của {who}")
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class Source:
    """What a citation needs to know of a document: the catalog's facts, else its header's."""

    doc_type: str | None
    number: str | None
    issuer: str | None
    date: str | None
    title: str | None

    @property
    def words(self) -> str:
        return document_words(self.doc_type, self.number, self.issuer, self.date, self.title)


def source_of(doc: Document | None, entry=None) -> Source:
    """The catalog entry's facts first (edited by hand), then the document header's."""
    h = doc.header if doc else None
    pick = lambda a, b: a or b
    number = pick(entry.number if entry else None, h.number if h else None)
    return Source(pick(entry.type if entry else None, h.doc_type if h else None), number,
                  pick(entry.issuer if entry else None, h.issuer if h else None),
                  pick(entry.date if entry else None, h.date if h else None),
                  pick(entry.title if entry else None, h.title if h else None))


def _number(c: Clause) -> str:
    """The clause's own number: the last word of its label ("Mục III, điểm 8" → "8")."""
    own = c.label.rsplit(", ", 1)[-1]
    return own.rsplit(" ", 1)[-1]


def _chain(doc: Document, clause: Clause, by_id: dict[str, Clause] | None = None) -> list[Clause]:
    """``clause`` and its ancestors, innermost first."""
    by_id = by_id if by_id is not None else {c.id: c for c in doc.clauses}
    out = [clause]
    while out[-1].parent and out[-1].parent in by_id:
        out.append(by_id[out[-1].parent])
    return out


def clause_words(doc: Document, clause: Clause, by_id: dict[str, Clause] | None = None) -> str:
    """"điểm a khoản 2 Mục III", "khoản 2 Điều 5", "gạch đầu dòng thứ 3 khoản 1 Mục II".

    The words of the units, innermost first, without the document."""
    chain = _chain(doc, clause, by_id)
    has_article = any(c.kind == "article" for c in chain)
    words: list[str] = []
    for i, c in enumerate(chain):
        up = chain[i + 1] if i + 1 < len(chain) else None
        n = _number(c)
        if c.kind == "preamble":
            words.append("phần mở đầu")
        elif c.kind == "bullet":
            words.append(f"{'ý' if up is not None and up.kind == 'bullet' else 'gạch đầu dòng'} thứ {n}")
        elif c.kind == "row":  # "Bảng 1, nhóm I, dòng 3" → "dòng 3 nhóm I Bảng 1", once for nested rows
            if not (i and chain[i - 1].kind == "row"):
                words.append(" ".join(reversed(c.label.split(", "))))
        elif c.kind == "point":
            words.append(f"{'tiết' if up is not None and up.kind == 'item' and _nested(chain, i + 1) else 'điểm'} {n}")
        elif c.kind == "clause":
            words.append(f"khoản {n}")
        elif c.kind == "item":
            words.append(f"{'điểm' if _nested(chain, i) else 'khoản'} {n}")
        elif c.kind == "section" and not (has_article and up is not None and up.kind == "chapter"):
            words.append(f"Mục {n}")
        elif c.kind == "article":
            words.append(f"Điều {n}")
        elif c.kind == "chapter" and not has_article:
            words.append(f"Chương {n}")
        elif c.kind == "appendix":
            words.append(c.label)
        elif c.kind == "part":
            words.append(f"{c.path} ban hành kèm theo")
    return " ".join(words)


def _nested(chain: list[Clause], i: int) -> bool:
    """Whether the item ``chain[i]`` sits under another numbered item (its "2.1" is a "điểm")."""
    return i + 1 < len(chain) and chain[i + 1].kind == "item"


def official(doc: Document, clause: Clause | None, entry=None) -> str:
    """The whole citation: the clause's units, then the document.

    A clause under a "part" (the plan attached to a decision) reads
    "khoản 1 Mục I Kế hoạch ban hành kèm theo Quyết định số …"."""
    source = source_of(doc, entry).words
    if clause is None:
        return source
    units = clause_words(doc, clause)
    return f"{units} {source}" if units else source


def citations_of(doc: Document, entry=None) -> dict[str, str]:
    """The official citation of every clause of ``doc``, by section path (for the reader)."""
    source = source_of(doc, entry).words
    by_id = {c.id: c for c in doc.clauses}
    return {c.path: f"{clause_words(doc, c, by_id)} {source}".strip() for c in doc.clauses}


def copy_text(citation: str, clause: Clause, quote: str) -> str:
    """What the copy button puts on the clipboard: the citation, then the verbatim quote; a table
    row's cells separated by " | " (never run together).

    >>> c = Clause("d#T1.1", "d", "T1.1", "row", "Bảng 1, dòng 1", "", "", 0, 0, 0, cells={"TT": "1", "Nhiệm vụ": "Số hóa"})
    >>> copy_text("dòng 1 Bảng 1 Kế hoạch số 12/KH-UBND", c, "1 Số hóa")
    'dòng 1 Bảng 1 Kế hoạch số 12/KH-UBND: “1 | Số hóa”'
    """
    if clause.kind == "row" and clause.cells:
        text = " | ".join(collapse_spaces(v) for v in clause.cells.values() if v and v.strip())
    else:
        text = collapse_spaces(quote)
    return f"{citation}: “{text}”"


# --- over an engine -------------------------------------------------------------------------


def of_clause(engine, clause: Clause) -> str:
    """The official citation of a clause of a loaded document."""
    return official(engine.documents[clause.doc_id], clause, engine.catalog.entries.get(clause.doc_id))


def of_document(engine, doc_id: str) -> str:
    """The official name of a document, loaded or known from the catalog only."""
    return official(engine.documents.get(doc_id), None, engine.catalog.entries.get(doc_id))


def doc_name(engine, doc_id: str) -> str:
    """"Kế hoạch triển khai Chương trình 64-CTr/TU" (catalog short name), else type + number
    (the short form pages show next to a clause label)."""
    entry = engine.catalog.entries.get(doc_id)
    if entry and entry.short:
        return entry.short
    doc = engine.documents.get(doc_id)
    h = doc.header if doc else None
    if h and h.doc_type:
        return " ".join(x for x in (h.doc_type, h.number if h.number_known else None) if x)
    return of_document(engine, doc_id)


@dataclass(frozen=True)
class Citing:
    """A place where a loaded text mentions another document by its number."""

    doc_id: str
    doc_number: str | None
    clause: Clause | None  # None: the mention sits in the header or the title
    mention: str
    quote: str
    citation: str


def citing_clauses(engine, entry_id: str) -> list[Citing]:
    """Where the loaded texts mention the catalog document ``entry_id`` (by its number), once per clause."""
    from index.answers.answer import cite

    out: list[Citing] = []
    seen: set[tuple[str, str | None]] = set()
    for doc in engine.documents.values():
        for ref in doc.references:
            target = engine.catalog.by_number(ref.number)
            if target is None or target.id != entry_id or (doc.id, ref.clause_id) in seen:
                continue
            seen.add((doc.id, ref.clause_id))
            clause = engine.clauses.get(ref.clause_id) if ref.clause_id else None
            mention = doc.source[ref.start:ref.end]
            if clause is None:
                out.append(Citing(doc.id, doc.header.number, None, mention, mention, of_document(engine, doc.id)))
            else:
                out.append(Citing(doc.id, doc.header.number, clause, mention, cite(engine, clause, (ref.start, ref.end)).quote,
                                  of_clause(engine, clause)))
    return out
