"""The outline parser: source text → ``Document`` (header, preamble, clause tree).

It reads the normalised text line by line and recognises the numbering that
Vietnamese directives use:

- plans and programmes: Roman sections (``III.``), numbered items (``8.``, ``2.1.``),
  lettered points (``a)``), bullets (``-``, ``·``, ``•``, ``+``, ````);
- laws, decrees, resolutions: ``Chương``, ``Mục``, ``Điều N.``, khoản ``1.``, điểm ``a)``;
- task tables (rows written as ``cell | cell | …`` by the readers), whose columns stay
  attached to each row; text after a table belongs to the table's container, not its last row;
- the closing block (signature "TM. …", recipients "Nơi nhận:" with their dash list) is
  skipped up to the next part (an attached programme or appendix), so recipients never
  become bullets of the last clause.

Every clause's ``[start, end)`` indexes the *source* text, so ``source[start:end]``
is the clause verbatim even where normalisation changed characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.header import TITLE_LINE, find_references, parse_header
from ingest.models import Clause, Document, Reference
from ingest.normalize import collapse_spaces, normalize

BULLET = re.compile(r"^[-+·•▪●◦\u2022\uf0b7\uf0a7\u2013\u2212]\s*")
# Party documents write "I- MỤC ĐÍCH" and "1- Quán triệt …" where State documents write "I." and "1."
ROMAN = re.compile(r"^(?P<n>[IVX]{1,5})(?:\.|\s?-)\s+(?P<rest>\S.*)$")
CHAPTER = re.compile(r"^Chương\s+(?P<n>[IVXLC]+|\d+)\b\.?\s*(?P<rest>.*)$")
LAW_SECTION = re.compile(r"^Mục\s+(?P<n>\d+)\b\.?\s*(?P<rest>.*)$")
ARTICLE = re.compile(r"^Điều\s+(?P<n>\d+)\s*[.:]?\s*(?P<rest>.*)$")
NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)(?:\.\s*|\s?-\s+(?=[^\W\d_])|\s+(?=\D))(?P<rest>\S.*)$")
DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}")
LETTER = re.compile(r"^(?P<n>[a-zđ])\)\s*(?P<rest>\S.*)$")
APPENDIX = re.compile(r"^PHỤ LỤC\b\s*(?P<n>[IVX\d]*)\s*(?P<rest>.*)$")
PAGE_NUMBER = re.compile(r"^\d{1,3}$")
# The closing block: recipients ("Nơi nhận:" and its dash list) and the signature
# ("TM. ỦY BAN NHÂN DÂN", "T/M BỘ CHÍNH TRỊ", "KT. CHỦ TỊCH"). Not clauses, not tasks.
RECIPIENTS = re.compile(r"^Nơi nhận\s*:\s*(?:$|\|)")
SIGNATURE = re.compile(r"^(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.?\s+(?P<rest>\S.*)$")


@dataclass
class _Line:
    text: str  # normalised, stripped
    start: int  # normalised offsets of the stripped line
    end: int
    number: int  # 1-based line number


@dataclass
class _Node:
    clause: Clause
    nstart: int
    nend: int
    own_nend: int
    bullets: int = 0
    letters: bool = False


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for i, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if stripped:
            s = pos + (len(raw) - len(raw.lstrip()))
            out.append(_Line(stripped, s, s + len(stripped), i))
        pos += len(raw) + 1
    return out


class _Builder:
    """Holds the open nodes while lines are read; one instance per document."""

    def __init__(self, doc: Document, norm):
        self.doc, self.norm = doc, norm
        self.nodes: list[_Node] = []
        self.by_path: dict[str, _Node] = {}
        self.current: _Node | None = None  # node that body lines extend
        self.section: _Node | None = None  # Roman section or chapter
        self.law_section: _Node | None = None  # "Mục 1" inside a chapter
        self.article: _Node | None = None
        self.item: _Node | None = None  # numbered item / khoản
        self.point: _Node | None = None  # lettered point
        self.table: list[str] | None = None
        self.table_parent: _Node | None = None
        self.tables = 0

    def add(self, kind: str, path: str, label: str, heading: str, line: _Line, parent: _Node | None) -> _Node:
        if path in self.by_path:  # a repeated number: keep ids unique and say so
            self.doc.warnings.append(f"dòng {line.number}: số mục trùng '{path}'")
            k = 2
            while f"{path}~{k}" in self.by_path:
                k += 1
            path = f"{path}~{k}"
        c = Clause(
            id=f"{self.doc.id}#{path}", doc_id=self.doc.id, path=path, kind=kind, label=label,
            heading=collapse_spaces(heading), text="", start=0, end=0, own_end=0,
            parent=parent.clause.id if parent else None, depth=(parent.clause.depth + 1) if parent else 0,
        )
        node = _Node(c, line.start, line.end, line.end)
        if parent:
            parent.clause.children.append(c.id)
        self.nodes.append(node)
        self.by_path[path] = node
        self.current = node
        self._extend(node, line.end)
        return node

    def _extend(self, node: _Node, nend: int) -> None:
        """Grow ``node`` and its ancestors to ``nend``."""
        n: _Node | None = node
        while n is not None:
            n.nend = max(n.nend, nend)
            n = self.by_path.get(_parent_path(n, self))
        if not node.clause.children:
            node.own_nend = max(node.own_nend, nend)

    def body(self, line: _Line) -> None:
        if self.current is None:
            return
        c = self.current.clause
        if not c.heading and c.kind in ("chapter", "appendix", "section") and not c.children:
            c.heading = collapse_spaces(line.text)  # "Chương I" with its title on the next line
        self._extend(self.current, line.end)

    def finish(self) -> None:
        src = self.norm
        for node in self.nodes:
            c = node.clause
            c.start, c.end = src.span(node.nstart, node.nend)
            c.own_end = src.span(node.nstart, node.own_nend)[1]
            c.text = self.doc.source[c.start : c.end]
            self.doc.clauses.append(c)


def _parent_path(node: _Node, b: _Builder) -> str:
    pid = node.clause.parent
    return pid.split("#", 1)[1] if pid else ""


def _item_parent(b: _Builder, number: str) -> tuple[_Node | None, str]:
    """Parent node and path prefix for a numbered line ("8", "2.1") in the current context."""
    if b.article is not None:
        return b.article, b.article.clause.path
    base = b.section.clause.path if b.section else ""
    parts = number.split(".")
    for k in range(len(parts) - 1, 0, -1):
        p = ".".join(filter(None, [base, *parts[:k]]))
        if p in b.by_path:
            return b.by_path[p], base
    return b.section, base


def _label_for_item(b: _Builder, number: str) -> str:
    if b.article is not None:
        return f"{b.article.clause.label}, khoản {number}"
    if b.section is not None:
        return f"{b.section.clause.label}, điểm {number}"
    return f"Điểm {number}"


def _table_row(b: _Builder, line: _Line) -> None:
    cells = [collapse_spaces(c) for c in line.text.split("|")]
    if b.table is None:  # the first row names the columns
        b.tables += 1
        b.table = cells
        if b.current is not None:
            b.body(line)
        return
    row = dict(zip(b.table, cells))
    tt = row.get("TT") or row.get("STT") or ""
    number = tt if re.fullmatch(r"\d{1,3}", tt) else str(len([n for n in b.nodes if n.clause.path.startswith(f"T{b.tables}.")]) + 1)
    parent = b.point or b.item or b.article or b.section
    b.table_parent = parent
    heading = row.get("Nhiệm vụ") or row.get("Nội dung") or cells[1 if len(cells) > 1 else 0]
    node = b.add("row", f"T{b.tables}.{number}", f"Bảng {b.tables}, dòng {number}", heading, line, parent)
    node.clause.cells = row


def _structure(b: _Builder, line: _Line) -> bool:
    """Open a node if ``line`` starts one; return False for a body line."""
    t = line.text
    bullet = BULLET.match(t)
    if bullet and (NUMBERED.match(t[bullet.end():]) or ROMAN.match(t[bullet.end():])):
        t = t[bullet.end():]  # "· 1. Sở Khoa học và Công nghệ": a stray glyph before a number
        bullet = None
    if "|" in t and t.count("|") >= 2:
        _table_row(b, line)
        return True
    if b.table is not None:  # the table ended: what follows belongs to its container, not its last row
        b.table = None
        if b.table_parent is not None and b.current is not None and b.current.clause.kind == "row":
            b.current = b.table_parent
    if m := CHAPTER.match(t):
        b.section = b.add("chapter", f"Chương {m['n']}", f"Chương {m['n']}", m["rest"], line, None)
        b.law_section = b.article = b.item = b.point = None
    elif (m := LAW_SECTION.match(t)) and b.section is not None and b.section.clause.kind == "chapter":
        path = f"{b.section.clause.path}.Mục {m['n']}"
        b.law_section = b.add("section", path, f"{b.section.clause.label}, Mục {m['n']}", m["rest"], line, b.section)
        b.article = b.item = b.point = None
    elif m := ARTICLE.match(t):
        chapter = b.section if b.section is not None and b.section.clause.kind == "chapter" else None
        b.article = b.add("article", f"Điều {m['n']}", f"Điều {m['n']}", m["rest"], line, b.law_section or chapter)
        b.item = b.point = None
    elif m := APPENDIX.match(t):
        n = f" {m['n']}" if m["n"] else ""
        b.section = b.add("appendix", f"Phụ lục{n}", f"Phụ lục{n}", m["rest"], line, None)
        b.law_section = b.article = b.item = b.point = None
    elif (m := ROMAN.match(t)) and not bullet:
        b.section = b.add("section", m["n"], f"Mục {m['n']}", m["rest"], line, None)
        b.law_section = b.article = b.item = b.point = None
    elif (m := NUMBERED.match(t)) and not bullet and (t[len(m["n"]):].lstrip()[:1] in (".", "-") or DOTTED.match(t)):
        parent, base = _item_parent(b, m["n"])
        path = f"{base}.{m['n']}" if base else m["n"]
        kind = "clause" if b.article is not None else "item"
        b.item = b.add(kind, path, _label_for_item(b, m["n"]), m["rest"], line, parent)
        b.point = None
    elif (m := LETTER.match(t)) and not bullet and (b.item or b.article):
        parent = b.item or b.article
        label = f"{parent.clause.label}, điểm {m['n']}" if b.article else f"{parent.clause.label}, tiết {m['n']}"
        b.point = b.add("point", f"{parent.clause.path}.{m['n']}", label, m["rest"], line, parent)
    elif bullet:
        parent = b.point or b.item or b.article or b.section
        if parent is None:
            return False
        parent.bullets += 1
        k = parent.bullets
        b.add("bullet", f"{parent.clause.path}/{k}", f"{parent.clause.label}, gạch đầu dòng thứ {k}", "", line, parent)
        b.current = b.by_path[f"{parent.clause.path}/{k}"]
    else:
        return False
    return True


def parse(source: str, doc_id: str) -> Document:
    """Parse ``source`` (decoded text, verbatim) into a ``Document`` with id ``doc_id``."""
    doc = Document(id=doc_id, source=source)
    norm = normalize(source)
    lines = _lines(norm.text)
    kept = []
    for ln in lines:
        if PAGE_NUMBER.match(ln.text) and (not kept or ln.number <= 2):
            doc.warnings.append(f"dòng {ln.number}: bỏ qua số trang lạc '{ln.text}'")
            continue
        kept.append(ln)
    lines = kept

    # Header and title: everything up to the doc-type line and the title lines after it.
    title_at = next((i for i, ln in enumerate(lines[:40]) if TITLE_LINE.match(ln.text)), None)
    body_from = 0
    if title_at is not None:
        end = title_at + 1
        while end < len(lines) and lines[end].number == lines[end - 1].number + 1 and not _is_marker(lines[end].text):
            end += 1
        doc.header = parse_header([ln.text for ln in lines[:end]])
        body_from = end

    b = _Builder(doc, norm)
    closing = False
    for ln in lines[body_from:]:
        if RECIPIENTS.match(ln.text) or _is_signature(ln.text):
            closing, b.table = True, None
            continue
        if closing:  # skip the closing block up to the next part (an attached programme, an appendix)
            if not (_is_marker(ln.text) or APPENDIX.match(ln.text)):
                continue
            closing = False
        if _structure(b, ln):
            continue
        if b.current is None:  # text before the first section: the preamble
            b.add("preamble", "preamble", "Phần mở đầu", "", ln, None)
        else:
            b.body(ln)
    b.finish()
    _attach_references(doc, norm)
    return doc


def _is_marker(t: str) -> bool:
    return bool(ROMAN.match(t) or CHAPTER.match(t) or ARTICLE.match(t))


def _is_signature(t: str) -> bool:
    m = SIGNATURE.match(t)
    return bool(m and m["rest"].isupper())


def _attach_references(doc: Document, norm) -> None:
    """Record each document number mentioned, with the innermost clause it sits in."""
    for f in find_references(norm.text):
        if f.number == doc.header.number:  # the document's own number ("Số: 99-NQ/TW") is no reference
            continue
        start, end = norm.span(f.start, f.end)
        inner = None
        for c in doc.clauses:
            if c.start <= start < c.end and (inner is None or c.depth >= inner.depth):
                inner = c
        doc.references.append(Reference(f.number, f.doc_type, f.date, start, end, inner.id if inner else None))
