"""Index units: what one clause contributes to the lexical and dense indexes.

A unit is a clause's own text (heading and body, without its children) with the
headings above it as context, so a bullet under "8. Sở Tài chính" is embedded and
matched together with the agency it belongs to:
``"III. TỔ CHỨC THỰC HIỆN › 8. Sở Tài chính: Chủ trì phối hợp …"``.

Each character of a document is embedded about once: a parent is embedded with its own
text, not its children's, and the headings a clause is embedded with are cut short
(``short_heading``: the nearest to 120 characters, the others to 60), or a law's "Điều 1.
Phê duyệt Đề án … với các nội dung như sau:" would be embedded again with every point under
it. The lexical terms keep the whole headings, up to ``CONTEXT_CHARS`` of them (the nearest
first): a file of 300 bullets under one 50,000-character heading would otherwise be segmented
and stored 300 times over (25 MB of units, 90 s). The real directives' longest heading path is
about 330 characters, so the caps change none of their units.

What one document may make is capped too (``units_for(doc, capped_as=name)``: units, characters
to segment, lexical tokens), so that
the build of an upload is refused with a sentence rather than left to run for minutes.

What units hold depends on this module and on the analyser (``ingest``, its word lists in
``ingest/data/``, underthesea); ``index.build.inputs`` hashes all of them into the manifest, so a
change to any of them rebuilds every unit at the next ingest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from ingest.deadlines import deadlines
from ingest.errors import TooLarge
from ingest.expand import expand
from ingest.limits import vi_number
from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, normalize_text
from ingest.tokens import terms


@dataclass
class Unit:
    id: str  # the clause id
    doc_id: str
    path: str
    item: str  # the numbered item it belongs to ("III.1" for "III.1/3")
    section: str  # top-level section ("III", "Chương II", "preamble")
    context: str  # heading path above the clause
    text: str  # own text, normalised, one line
    hash: str  # of the embedded text: unchanged text → re-used vector
    terms: list[str]
    embed_context: str = ""  # the context as embedded: its headings cut short
    dated: bool = False  # its text states a time (not a preamble's dates, which are those of the texts it cites)

    @property
    def embed_text(self) -> str:
        return embed_text(vars(self))

    def to_dict(self) -> dict:
        return dict(vars(self))  # every field is a string, a flag or a list of strings: no deep copy (dataclasses.asdict)


def embed_text(unit: dict) -> str:
    """What a unit is embedded as: its headings cut short, then its own text."""
    return f"{unit['embed_context']}: {unit['text']}" if unit.get("embed_context") else unit["text"]


def item_of(path: str) -> str:
    """The numbered item a clause path belongs to.

    >>> item_of("III.1/3"), item_of("I.2.1"), item_of("T1.3")
    ('III.1', 'I.2.1', 'T1.3')
    """
    return path.split("/", 1)[0]


def section_of(path: str) -> str:
    """Example:

    >>> section_of("III.1/3"), section_of("Điều 5.2"), section_of("preamble")
    ('III', 'Điều 5', 'preamble')
    """
    return item_of(path).split(".", 1)[0]


def heading_line(c: Clause) -> str:
    """"8. Sở Tài chính" / "III. TỔ CHỨC THỰC HIỆN" / "Điều 5. Phạm vi"."""
    if c.kind in ("bullet", "preamble"):
        return ""
    if c.kind == "item":  # "I.2.1" → "2.1"
        number = c.path.split(".", 1)[-1]
    elif c.kind in ("clause", "point"):  # "Điều 5.2.a" → "a"
        number = c.path.rsplit(".", 1)[-1]
    else:
        number = c.path
    return f"{number}. {c.heading}".strip(". ") if c.heading else number


HEADING_CHARS = 60  # of each heading above the nearest one, as embedded
NEAREST_CHARS = 120  # of the nearest heading
CONTEXT_CHARS = 1_000  # of the heading path a unit is matched with (the development sets' longest: 327)
EMBED_CONTEXT_CHARS = 600  # of the heading path a unit is embedded with (their longest: 293)
MAX_UNITS = 3_000  # units of one document (their most: 595, in 100,000 characters)
MAX_INDEXED_CHARS = 500_000  # of one document's units, headings included, together (their most: about 135,000)
MAX_TERMS = 300_000  # lexical tokens of one document's units together (their most: 75,026)


def short_heading(line: str, limit: int) -> str:
    """A heading line cut at a word boundary within ``limit`` characters.

    >>> short_heading("Điều 1. Phê duyệt Đề án “Thành lập và phát triển thị trường các-bon”", 40)
    'Điều 1. Phê duyệt Đề án “Thành lập và'
    >>> short_heading("8. Sở Tài chính", 40)
    '8. Sở Tài chính'
    """
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0]


def capped_path(heads: list[str], limit: int) -> str:
    """The heading path within ``limit`` characters: the nearest headings kept, the farthest
    dropped first, the last one kept cut at a word.

    >>> capped_path(["I. NHIỆM VỤ", "8. Sở Tài chính"], 100)
    'I. NHIỆM VỤ › 8. Sở Tài chính'
    >>> capped_path(["I. NHIỆM VỤ", "8. Sở Tài chính"], 20)
    '8. Sở Tài chính'
    >>> capped_path(["I. NHIỆM VỤ", "8. Sở Tài chính chủ trì bố trí kinh phí"], 20)
    '8. Sở Tài chính chủ'
    """
    kept, size = [], 0
    for head in reversed(heads):
        room = limit - size - (3 if kept else 0)
        if len(head) > room:
            if not kept:
                kept.append(short_heading(head, room))
            break
        kept.append(head)
        size += len(head) + (3 if len(kept) > 1 else 0)
    return " › ".join(reversed(kept))


def _refuse(name: str, found: str, cap: str) -> TooLarge:
    return TooLarge(name, f"{found}, quá giới hạn {cap}; hãy tách thành nhiều tệp")


def _check_drafts(drafts: list[tuple], name: str) -> None:
    """Units and characters to segment, before any is segmented."""
    if len(drafts) > MAX_UNITS:
        raise _refuse(name, f"văn bản tách ra {vi_number(len(drafts))} điều khoản để lập chỉ mục",
                      vi_number(MAX_UNITS))
    size = sum(len(body) for _, body in drafts)
    if size > MAX_INDEXED_CHARS:
        raise _refuse(name, f"văn bản cần lập chỉ mục {vi_number(size)} ký tự (tính cả tiêu đề các mục của từng "
                            "điều khoản)", f"{vi_number(MAX_INDEXED_CHARS)} ký tự")


def check_units(units: list[Unit], name: str) -> None:
    """``TooLarge`` when one document's units hold more lexical tokens than a build is given."""
    count = sum(len(u.terms) for u in units)
    if count > MAX_TERMS:
        raise _refuse(name, f"văn bản có {vi_number(count)} từ cần lập chỉ mục (tính cả tiêu đề các mục)",
                      vi_number(MAX_TERMS))


def _listed_tasks(doc: Document, by_id: dict[str, Clause]) -> dict[str, str]:
    """For a bullet that lists a body the heading above addresses ("- Sở Xây dựng (đối với … đô
    thị);"), the first task the heading gives them all ("a) Chủ trì … rà soát, lập hồ sơ …"): the
    bullet is matched with the task it stands for."""
    out = {}
    for a in doc.assignments:
        c = by_id.get(a.clause_id)
        if a.source != "list" or c is None or c.kind != "bullet" or not c.parent or a.clause_id in out:
            continue
        task = next((by_id[x] for x in by_id[c.parent].children if by_id[x].kind != "bullet"), None)
        if task is not None:
            out[a.clause_id] = collapse_spaces(normalize_text(task.own_text))[:240]
    return out


def units_for(doc: Document, capped_as: str | None = None) -> list[Unit]:
    """The document's units. With ``capped_as`` (a file name), a document beyond ``MAX_UNITS``
    or ``MAX_INDEXED_CHARS`` (both checked before the costly segmenting) or ``MAX_TERMS`` is
    refused with ``TooLarge`` naming that file."""
    drafts = list(_drafts(doc))
    if capped_as is not None:
        _check_drafts(drafts, capped_as)
    units = [replace(unit, terms=terms(expand(body))) for unit, body in drafts]
    if capped_as is not None:
        check_units(units, capped_as)
    return units


def _drafts(doc: Document):
    """(unit without its terms, the text its terms are taken from) for each clause with text."""
    by_id = {c.id: c for c in doc.clauses}
    listed = _listed_tasks(doc, by_id)
    for c in doc.clauses:
        text = collapse_spaces(normalize_text(c.own_text))
        if not text:
            continue
        chain, p = [], c.parent
        while p:
            parent = by_id[p]
            chain.append(heading_line(parent))
            p = parent.parent
        heads = [h for h in reversed(chain) if h]
        context = capped_path(heads, CONTEXT_CHARS)
        short = capped_path([short_heading(h, HEADING_CHARS) for h in heads[:-1]]
                            + [short_heading(h, NEAREST_CHARS) for h in heads[-1:]], EMBED_CONTEXT_CHARS)
        if c.id in listed:
            context = f"{context} › {listed[c.id]}" if context else listed[c.id]
            short = f"{short} › {listed[c.id]}" if short else listed[c.id]
        body = f"{context}: {text}" if context else text
        embedded = f"{short}: {text}" if short else text
        unit = Unit(id=c.id, doc_id=doc.id, path=c.path, item=item_of(c.path), section=section_of(c.path),
                    context=context, text=text, hash=hashlib.sha1(embedded.encode()).hexdigest(), terms=[],
                    embed_context=short, dated=c.kind != "preamble" and bool(deadlines(text)))
        yield unit, body
