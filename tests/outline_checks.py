"""Checks every parsed document must pass; shared by the outline tests."""

from __future__ import annotations

import re
import unicodedata

from ingest.models import Document
from ingest.normalize import normalize_text
from ingest.numbering import BULLET


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def first_line(text: str) -> str:
    return normalize_text(text.split("\n", 1)[0]).strip()


def assert_tree(doc: Document) -> None:
    """What every parsed document must satisfy for citations and navigation to be right."""
    by_id = {c.id: c for c in doc.clauses}
    assert len(by_id) == len(doc.clauses), "clause ids are unique"
    assert [c.start for c in doc.clauses] == sorted(c.start for c in doc.clauses), "pre-order"
    for c in doc.clauses:
        assert c.id == f"{doc.id}#{c.path}" and c.doc_id == doc.id
        assert 0 <= c.start <= c.own_end <= c.end <= len(doc.source), c.path
        assert doc.source[c.start : c.end] == c.text, f"{c.path}: text is not the source at its offsets"
        assert c.text and c.text == c.text.strip(), f"{c.path}: span starts or ends on blank space"
        assert c.own_text == c.text[: c.own_end - c.start]
        if c.parent is None:
            assert c.depth == 0
        else:
            parent = by_id[c.parent]
            assert c.id in parent.children
            assert c.depth == parent.depth + 1
            assert parent.start <= c.start and c.end <= parent.end, f"{c.path} sticks out of {parent.path}"
        previous_end = c.own_end
        for child_id in c.children:
            child = by_id[child_id]
            assert child.parent == c.id
            assert child.start >= previous_end, f"{child.path} overlaps its parent's text or its elder sibling"
            previous_end = child.end
    for r in doc.references:
        assert 0 <= r.start < r.end <= len(doc.source)
        assert normalize_text(doc.source[r.start : r.end]).find(r.number.split("/")[0]) >= 0


def assert_first_lines(doc: Document) -> None:
    """Each clause starts on its own numbered line: the offsets point at the right place."""
    for c in doc.clauses:
        line = first_line(c.text)
        number = c.path.rsplit(".", 1)[-1]
        if c.kind == "bullet":
            assert BULLET.match(line), (c.path, line)
        elif c.kind == "section":
            assert re.match(rf"^(?:Mục\s+)?{re.escape(number)}\b", line), (c.path, line)
        elif c.kind in ("item", "clause"):
            item_number = c.path.split(".", 1)[1] if c.kind == "item" else number
            assert re.match(rf"^(?:[·\-]\s*)?{re.escape(item_number)}(?:\.|\s?-\s)", line), (c.path, line)
        elif c.kind == "point":
            assert line.startswith(f"{number})"), (c.path, line)
        elif c.kind in ("article", "chapter"):
            assert line.startswith(c.path), (c.path, line)
        if c.heading and c.kind not in ("chapter", "row"):
            assert c.heading in normalize_text(" ".join(c.own_text.split())), c.path
