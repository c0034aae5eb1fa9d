"""Index units: what one clause contributes to the lexical and dense indexes.

A unit is a clause's own text (heading and body, without its children) with the
headings above it as context, so a bullet under "8. Sở Tài chính" is embedded and
matched together with the agency it belongs to:
``"III. TỔ CHỨC THỰC HIỆN › 8. Sở Tài chính: Chủ trì phối hợp …"``.

Each character of a document is embedded about once: a parent is embedded with its own
text, not its children's, and the headings a clause is embedded with are cut short
(``short_heading``: the nearest to 120 characters, the others to 60), or a law's "Điều 1.
Phê duyệt Đề án … với các nội dung như sau:" would be embedded again with every point under
it. The lexical terms keep the whole headings.

What units hold depends on this module and on the analyser (``ingest``, its word lists in
``ingest/data/``, underthesea); ``index.build.inputs`` hashes all of them into the manifest, so a
change to any of them rebuilds every unit at the next ingest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, normalize_text
from ingest.expand import expand
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

    @property
    def embed_text(self) -> str:
        return embed_text(vars(self))

    def to_dict(self) -> dict:
        return dict(vars(self))  # every field is a string or a list of strings: no deep copy (dataclasses.asdict)


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


def short_heading(line: str, limit: int) -> str:
    """A heading line cut at a word boundary within ``limit`` characters.

    >>> short_heading("Điều 1. Phê duyệt Đề án “Thành lập và phát triển thị trường các-bon”", 40)
    'Điều 1. Phê duyệt Đề án “Thành lập và'
    >>> short_heading("8. Sở Tài chính", 40)
    '8. Sở Tài chính'
    """
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0]


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


def units_for(doc: Document) -> list[Unit]:
    by_id = {c.id: c for c in doc.clauses}
    listed = _listed_tasks(doc, by_id)
    out = []
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
        context = " › ".join(heads)
        short = " › ".join([short_heading(h, HEADING_CHARS) for h in heads[:-1]] + [short_heading(h, NEAREST_CHARS) for h in heads[-1:]])
        if c.id in listed:
            context = f"{context} › {listed[c.id]}" if context else listed[c.id]
            short = f"{short} › {listed[c.id]}" if short else listed[c.id]
        body = f"{context}: {text}" if context else text
        embedded = f"{short}: {text}" if short else text
        out.append(
            Unit(
                id=c.id, doc_id=doc.id, path=c.path, item=item_of(c.path), section=section_of(c.path),
                context=context, text=text, hash=hashlib.sha1(embedded.encode()).hexdigest(),
                terms=terms(expand(body)), embed_context=short,
            )
        )
    return out
