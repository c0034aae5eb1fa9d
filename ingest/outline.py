"""The outline parser: source text → ``Document`` (header, preamble, clause tree).

It reads the normalised text line by line (``ingest.lines``: Markdown markup read past,
table rows split into cells) and opens a clause at each marker of the numbering Vietnamese
directives use (``ingest.numbering``), nested as the numbering nests:

- a decision's "Điều 1. Phê duyệt Đề án … như sau:" keeps the Roman sections that follow
  it inside the article;
- an attached part after the closing block ("KẾ HOẠCH …", "CHƯƠNG TRÌNH HÀNH ĐỘNG …"
  kèm theo a decision or a resolution) is its own node, its sections inside it;
- task tables (``ingest.table_reader``, ``ingest.tables``): rows with their columns; Roman rows open groups whose
  numbering restarts; rows written one cell per line are read back into columns;
- the closing block (signature "TM. …", recipients "Nơi nhận:" with their dash list) is
  skipped up to the next part, so recipients never become bullets of the last clause;
- in text hard-wrapped by a PDF extractor, a line that runs on from the line above is
  body text even when it opens with "1.000 tỷ đồng" or "Điều 5 Luật …"; page numbers are
  dropped.

Every clause's ``[start, end)`` indexes the *source* text, so ``source[start:end]``
is the clause verbatim even where normalisation changed characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.header import DOC_TYPES, TITLE_LINE, header_lines, parse_header
from ingest.lines import Line, lines_of, runs_on, wrap_width
from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, normalize
from ingest.numbering import (
    APPENDIX,
    ARTICLE,
    BULLET,
    CHAPTER,
    DOTTED,
    LAW_SECTION,
    LETTER,
    NESTED_GLYPHS,
    NUMBERED,
    PAGE_NUMBER,
    PAREN,
    RECIPIENTS,
    ROMAN,
    is_marker,
    is_signature,
    next_letter,
    next_number,
    next_paren,
)
from ingest.references import attach_references
from ingest.table_reader import TableReader
from ingest.tables import is_header


@dataclass
class Node:
    clause: Clause
    nstart: int
    nend: int
    own_nend: int
    bullets: int = 0
    glyph: str = ""
    number: str = ""  # a numbered item's number as written ("2", "2.1")
    heading_open: bool = False  # the heading line may run on to the next line (wrapped text)


@dataclass
class _Context:
    """The open nodes, outermost first."""

    part: Node | None = None  # an attached programme or plan
    section: Node | None = None  # Roman section, chapter or appendix
    law_section: Node | None = None  # "Mục 1" inside a chapter
    article: Node | None = None
    item: Node | None = None  # numbered item / khoản
    point: Node | None = None  # lettered point
    paren: Node | None = None  # "(1)" point, in the point, item or article it sits in
    bullets: list[Node] = field(default_factory=list)  # open bullets, outermost first

    def container(self) -> Node | None:
        return self.paren or self.point or self.item or self.article or self.section or self.part

    def close_below(self, level: str) -> None:
        order = ["part", "section", "law_section", "article", "item", "point", "paren"]
        for name in order[order.index(level) + 1 :]:
            setattr(self, name, None)
        self.bullets = []


class Builder:
    """Holds the open nodes while lines are read; one instance per document."""

    def __init__(self, doc: Document, norm, width: int | None, flat: bool = False):
        self.doc, self.norm, self.width = doc, norm, width
        self.flat = flat  # a text with no outline: its dashes and "(1)" paragraphs are clauses of the preamble
        self.nodes: list[Node] = []
        self.by_path: dict[str, Node] = {}
        self.repeats: dict[str, int] = {}  # next "~k" suffix to try for a repeated number
        self.current: Node | None = None  # node that body lines extend
        self.ctx = _Context()
        self.tables = TableReader(self)
        self.previous: Line | None = None
        self.pages = 0

    def add(self, kind: str, path: str, label: str, heading: str, line: Line, parent: Node | None) -> Node:
        if path in self.by_path:  # a repeated number: keep ids unique and say so
            self.doc.warnings.append(f"dòng {line.number}: số mục trùng '{path}'")
            k = self.repeats.get(path, 2)
            while f"{path}~{k}" in self.by_path:  # one step per repeat, not one per earlier copy
                k += 1
            self.repeats[path] = k + 1
            path = f"{path}~{k}"
        c = Clause(
            id=f"{self.doc.id}#{path}", doc_id=self.doc.id, path=path, kind=kind, label=label,
            heading=collapse_spaces(heading), text="", start=0, end=0, own_end=0,
            parent=parent.clause.id if parent else None, depth=(parent.clause.depth + 1) if parent else 0,
        )
        node = Node(c, line.start, line.end, line.end)
        node.heading_open = bool(heading) and self._open(line)
        if parent:
            parent.clause.children.append(c.id)
        self.nodes.append(node)
        self.by_path[path] = node
        self.current = node
        self.extend(node, line.end)
        return node

    def _open(self, line: Line) -> bool:
        return self.width is not None and not line.ends_sentence and len(line.text) >= 0.75 * self.width

    def extend(self, node: Node, nend: int) -> None:
        """Grow ``node`` and its ancestors to ``nend``."""
        n: Node | None = node
        while n is not None:
            n.nend = max(n.nend, nend)
            n = self.by_path.get(n.clause.parent.split("#", 1)[1]) if n.clause.parent else None
        if not node.clause.children:
            node.own_nend = max(node.own_nend, nend)

    def body(self, line: Line) -> None:
        if self.current is None:
            return
        node = self.current
        c = node.clause
        if not c.heading and c.kind in ("chapter", "appendix", "section", "part") and not c.children:
            c.heading = collapse_spaces(line.text)  # "Chương I" with its title on the next line
        elif node.heading_open and line.text[:1].islower() and not c.children:
            c.heading = collapse_spaces(f"{c.heading} {line.text}")  # a heading wrapped onto this line
            node.heading_open = self._open(line)
        else:
            node.heading_open = False
        self.extend(node, line.end)

    def finish(self) -> None:
        self.tables.end()
        src = self.norm
        for node in self.nodes:
            c = node.clause
            c.start, c.end = src.span(node.nstart, node.nend)
            c.own_end = src.span(node.nstart, node.own_nend)[1]
            c.text = self.doc.source[c.start : c.end]
            self.doc.clauses.append(c)

    # --- one line ----------------------------------------------------------------------------

    def line(self, ln: Line) -> None:
        if self.tables.take(ln):
            self.previous = ln
            return
        if PAGE_NUMBER.match(ln.text):
            self.pages += 1
            self.previous = ln
            return
        if not self.structure(ln):
            if self.current is None:  # text before the first section: the preamble
                self.add("preamble", "preamble", "Phần mở đầu", "", ln, None)
            else:
                self.body(ln)
        self.previous = ln

    def structure(self, ln: Line) -> bool:
        """Open a node if ``ln`` starts one; return False for a body line."""
        t, ctx = ln.text, self.ctx
        bullet = BULLET.match(t)
        if bullet and (NUMBERED.match(t[bullet.end():]) or ROMAN.match(t[bullet.end():])):
            t = t[bullet.end():]  # "· 1. Sở Khoa học và Công nghệ": a stray glyph before a number
            bullet = None
        wrapped = runs_on(self.previous, ln, self.width)
        if m := CHAPTER.match(t):
            ctx.close_below("part")
            ctx.section = self.add("chapter", self._in_part(f"Chương {m['n']}"), f"Chương {m['n']}", m["rest"], ln, ctx.part)
        elif (m := LAW_SECTION.match(t)) and ctx.section is not None and ctx.section.clause.kind == "chapter":
            path = f"{ctx.section.clause.path}.Mục {m['n']}"
            ctx.close_below("section")
            ctx.law_section = self.add("section", path, f"{ctx.section.clause.label}, Mục {m['n']}", m["rest"], ln, ctx.section)
        elif (m := ARTICLE.match(t)) and (m["dot"] or self.previous is None or self.previous.ends_sentence
                                          or self.previous.cells is not None or is_marker(self.previous.text)):
            chapter = ctx.section if ctx.section is not None and ctx.section.clause.kind == "chapter" else None
            parent = ctx.law_section or chapter or ctx.part
            ctx.close_below("law_section")
            ctx.article = self.add("article", self._in_part(f"Điều {m['n']}"), f"Điều {m['n']}", m["rest"], ln, parent)
        elif m := APPENDIX.match(t):
            n = f" {m['n']}" if m["n"] else ""
            ctx.close_below("part")
            ctx.part = None
            ctx.section = self.add("appendix", f"Phụ lục{n}", f"Phụ lục{n}", m["rest"], ln, None)
        elif (m := ROMAN.match(t)) and not bullet:
            self._roman(m, ln)
        elif (m := NUMBERED.match(t)) and not bullet and (t[len(m["n"]):].lstrip()[:1] in (".", "-") or DOTTED.match(t)) \
                and not (wrapped and not next_number(self._open_number(), m["n"])):
            self._numbered(m, ln)
        elif (m := LETTER.match(t)) and not bullet and ctx.container() is not None \
                and not (wrapped and not next_letter(self._open_letter(), m["n"])):
            self._letter(m, ln)
        elif (m := PAREN.match(t)) and self.ctx.container() is not None and next_paren(self.ctx.paren.number if self.ctx.paren else None, m["n"]):
            self._paren(m, ln)
        elif self.flat and PAREN.match(t) and self.ctx.container() is None:
            return self._bullet("(", ln)
        elif bullet and not (wrapped and t[bullet.end():][:1].islower()):
            return self._bullet(bullet["g"], ln)
        else:
            return False
        return True

    def is_boundary(self, ln: Line) -> bool:
        """A line that ends a table written one cell per line: a new section, article or part."""
        t = ln.text
        return bool(ROMAN.match(t) or CHAPTER.match(t) or APPENDIX.match(t) or TITLE_LINE.match(t)
                    or ((m := ARTICLE.match(t)) and m["dot"]))

    def start_part(self, kind: str, title: str, ln: Line) -> None:
        """An attached programme or plan ("KẾ HOẠCH" after a decision's signature)."""
        self.ctx.close_below("part")
        self.ctx.part = self.add("part", kind, f"{kind} kèm theo", title, ln, None)

    def _in_part(self, path: str) -> str:
        return f"{self.ctx.part.clause.path}.{path}" if self.ctx.part else path

    def _roman(self, m: re.Match, ln: Line) -> None:
        ctx = self.ctx
        parent = ctx.article or ctx.part  # "Điều 1. Phê duyệt Đề án … như sau:" then "I. QUAN ĐIỂM"
        path = f"{parent.clause.path}.{m['n']}" if parent else m["n"]
        label = f"{parent.clause.label}, Mục {m['n']}" if parent else f"Mục {m['n']}"
        keep = "article" if ctx.article else "part"
        ctx.close_below(keep)
        ctx.section = self.add("section", path, label, m["rest"], ln, parent)

    def _numbered(self, m: re.Match, ln: Line) -> None:
        ctx = self.ctx
        parent, base = self._item_parent(m["n"])
        path = f"{base}.{m['n']}" if base else m["n"]
        kind = "clause" if ctx.article is not None and parent is ctx.article else "item"
        if ctx.article is not None and parent is ctx.article:
            label = f"{ctx.article.clause.label}, khoản {m['n']}"
        elif ctx.section is not None or ctx.part is not None:
            label = f"{(ctx.section or ctx.part).clause.label}, điểm {m['n']}"
        else:
            label = f"Điểm {m['n']}"
        ctx.item = self.add(kind, path, label, m["rest"], ln, parent)
        ctx.item.number = m["n"]
        ctx.point, ctx.paren, ctx.bullets = None, None, []

    def _item_parent(self, number: str) -> tuple[Node | None, str]:
        """Parent node and path prefix for a numbered line ("8", "2.1") in the current context."""
        ctx = self.ctx
        if ctx.article is not None and (ctx.section is None or ctx.section.clause.parent != ctx.article.clause.id):
            return ctx.article, ctx.article.clause.path
        outer = ctx.section or ctx.part
        base = outer.clause.path if outer else ""
        parts = number.split(".")
        for k in range(len(parts) - 1, 0, -1):
            p = ".".join(filter(None, [base, *parts[:k]]))
            if p in self.by_path:
                return self.by_path[p], base
        return outer, base

    def _open_number(self) -> str | None:
        """The open item's number ("" when it has none), None when no item is open."""
        return self.ctx.item.number if self.ctx.item is not None else None

    def _open_letter(self) -> str | None:
        point = self.ctx.point
        return point.clause.path.rsplit(".", 1)[-1] if point is not None else None

    def _letter(self, m: re.Match, ln: Line) -> None:
        ctx = self.ctx
        parent = ctx.item or ctx.article or ctx.section or ctx.part
        if ctx.article is not None and parent is not ctx.item:
            label = f"{parent.clause.label}, điểm {m['n']}"
        else:
            label = f"{parent.clause.label}, {'điểm' if ctx.article is not None else 'tiết'} {m['n']}"
        ctx.point = self.add("point", f"{parent.clause.path}.{m['n']}", label, m["rest"], ln, parent)
        ctx.paren, ctx.bullets = None, []

    def _paren(self, m: re.Match, ln: Line) -> None:
        """"(1) …", "(2) …": points of the point, item or article they sit in."""
        ctx = self.ctx
        parent = ctx.point or ctx.item or ctx.article or ctx.section or ctx.part
        ctx.paren = self.add("point", f"{parent.clause.path}.({m['n']})", f"{parent.clause.label}, ý ({m['n']})",
                             m["rest"], ln, parent)
        ctx.paren.number = m["n"]
        ctx.bullets = []

    def _bullet(self, glyph: str, ln: Line) -> bool:
        ctx = self.ctx
        container = ctx.container() or (self.by_path.get("preamble") if self.flat else None)
        if container is None:
            return False
        if glyph in NESTED_GLYPHS and ctx.bullets and ctx.bullets[-1].glyph not in NESTED_GLYPHS:
            parent = ctx.bullets[-1]  # "+ …" under the "- …" above it
        else:
            while ctx.bullets and (ctx.bullets[-1].glyph in NESTED_GLYPHS) != (glyph in NESTED_GLYPHS):
                ctx.bullets.pop()
            if ctx.bullets:
                ctx.bullets.pop()
            parent = ctx.bullets[-1] if ctx.bullets else container
        parent.bullets += 1
        k = parent.bullets
        label = f"{parent.clause.label}, {'ý' if parent.clause.kind == 'bullet' or glyph == '(' else 'gạch đầu dòng thứ'} {k}"
        node = self.add("bullet", f"{parent.clause.path}/{k}", label, "", ln, parent)
        node.glyph = glyph
        ctx.bullets.append(node)
        return True


def parse(source: str, doc_id: str) -> Document:
    """Parse ``source`` (decoded text, verbatim) into a ``Document`` with id ``doc_id``."""
    doc = Document(id=doc_id, source=source)
    norm = normalize(source)
    lines = lines_of(norm.text)
    kept = []
    for ln in lines:
        if PAGE_NUMBER.match(ln.text) and (not kept or ln.number <= 2):
            doc.warnings.append(f"dòng {ln.number}: bỏ qua số trang lạc '{ln.text}'")
            continue
        if not kept and ln.text.startswith("[") and ln.text.endswith("]"):
            doc.warnings.append(f"dòng {ln.number}: bỏ qua ghi chú của người sao lưu văn bản")
            continue
        kept.append(ln)
    lines = kept
    width = wrap_width(lines)
    doc.wrapped = width is not None

    body_from, head = header_lines(lines)
    if head:
        doc.header = parse_header(head)
    warned = len(doc.warnings)
    b = _build(doc, norm, lines, body_from, width)
    if len(doc.clauses) == 1 and len(doc.clauses[0].text) > 1500 \
            and any(BULLET.match(ln.text) or PAREN.match(ln.text) for ln in lines[body_from:]):
        # a notice or letter written as paragraphs and dashes with no numbering above them (an
        # article-like capture): one clause of thousands of characters cites nothing; read its
        # dashes and "(1)" paragraphs as clauses of the preamble
        doc.clauses, doc.warnings = [], doc.warnings[:warned]
        b = _build(doc, norm, lines, body_from, width, flat=True)
    if b.pages:
        doc.warnings.append(f"bỏ qua {b.pages} dòng số trang")
    attach_references(doc, norm)
    return doc


def _build(doc: Document, norm, lines: list[Line], body_from: int, width: int | None, flat: bool = False) -> Builder:
    b = Builder(doc, norm, width, flat)
    closing, pending_part, title = False, None, ""
    for i, ln in enumerate(lines[body_from:], body_from):
        if pending_part is not None:  # the title lines of an attached part
            if _is_title_continuation(ln, lines[i - 1]):
                pending_part.clause.heading = collapse_spaces(f"{pending_part.clause.heading} {ln.text}")
                b.extend(pending_part, ln.end)
                continue
            pending_part = None
        if RECIPIENTS.match(ln.text) or is_signature(ln.text):
            closing = True
            b.tables.end()
            continue
        after_articles = b.ctx.article is not None and b.ctx.part is None and b.ctx.section is None
        if closing or after_articles:  # after the closing block (or a law's last article): the next part, if any
            if (m := TITLE_LINE.match(ln.text)) and (closing or ln.text.isupper()):
                closing = False
                b.start_part(DOC_TYPES[m.group(1)], "", ln)
                pending_part = b.ctx.part
                continue
        if closing and ln.cells is not None and is_header(ln.cells):  # a task table attached under its own title
            closing = False
            b.start_part("Phụ lục", title, ln)
        elif closing:
            if ln.text.isupper() and len(ln.text) > 15:
                title = ln.text  # "LỊCH PHỔ BIẾN THÔNG TIN …": the title of what is attached
            if not (is_marker(ln.text) or APPENDIX.match(ln.text)):
                continue
            closing = False
        b.line(ln)
    b.finish()
    return b


def _is_title_continuation(ln: Line, previous: Line) -> bool:
    return ln.number == previous.number + 1 and ln.text.isupper() and not is_marker(ln.text)
