"""The document tree that ingest produces and every later stage reads.

Offsets are character offsets into ``Document.source``: the file's text exactly as
decoded (for .docx/.pdf: exactly as extracted). ``source[c.start:c.end] == c.text``
holds for every clause, so a quote cut from a clause is verbatim.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Reference:
    """A mention of another document in the text ("Nghị quyết số 36-NQ/TW, ngày 30/01/2023")."""

    number: str  # canonical number, e.g. "36-NQ/TW"
    doc_type: str | None  # "Nghị quyết", "Chương trình", ...
    date: str | None  # ISO date when stated ("2023-01-30")
    start: int  # offsets of the mention in Document.source
    end: int
    clause_id: str | None = None  # the clause the mention sits in


@dataclass(slots=True)
class Assignment:
    """A body named in a clause and what the clause gives it to do, read from the text.

    ``role`` is one of ``ingest.assign.ROLES`` (a ``Role``); ``cue`` the words (or the column, or the
    heading) that gave it. ``start``/``end`` are where the name is written: in the clause,
    or in the heading (or the list of bodies) the clause sits under; ``seg_start``/``seg_end``
    delimit the words of the clause it was read from, so an answer can tell which of a
    clause's bodies a question is about.
    """

    clause_id: str
    agency: str  # the name as the document writes it ("Bộ Tài chính"); a list entry gets its head
    role: str
    cue: str
    source: str  # heading | table | sentence | list
    start: int = -1  # offsets of the name in Document.source (-1 when not written, e.g. a table cell cut)
    end: int = -1
    seg_start: int = 0
    seg_end: int = 0
    group: bool = False  # addressed as a group ("các sở, ban, ngành")
    roles: list[str] = field(default_factory=list)  # every role the sentence states, ``role`` first
    deadlines: list[dict] = field(default_factory=list)  # ``ingest.deadlines.Deadline.to_dict()``
    # every body of a kind ("các sở, ngành", "UBND các xã, phường", "UBND cấp xã"): an answer puts
    # the specific bodies of the clause first
    collective: bool = False


@dataclass(slots=True)
class Header:
    issuer: str | None = None  # "Ủy ban nhân dân tỉnh Bình Thuận"
    number: str | None = None  # "…/KH-UBND"; the blank part is kept as "…"
    number_known: bool = False  # False when the number is left blank in the copy
    symbol: str | None = None  # "KH-UBND"
    doc_type: str | None = None  # "Kế hoạch", "Nghị quyết", "Nghị định", ...
    # The jurisdiction: the province or city of a provincial issuer (UBND, HĐND, Tỉnh ủy, Sở …),
    # by its name without "tỉnh"/"thành phố" ("Bình Thuận", "Hà Nội"); ``NATIONAL`` for the
    # Government, the Prime Minister, ministries and central Party bodies; None when unknown.
    place: str | None = None
    date: str | None = None  # ISO, possibly partial ("2024-04") when the day is blank
    title: str | None = None
    signer: str | None = None  # who signed ("Nguyễn Văn A"), when the copy or the portal says so
    signed_in: str | None = None  # the place on the date line ("Hà Nội, ngày …"), where it was signed

    def display_name(self) -> str:
        """How the document is named to a user: "Kế hoạch 12/KH-UBND", "Kế hoạch (chưa ghi số)
        của UBND tỉnh Mẫu" (``ingest.identity.display_name``); never a file name."""
        from ingest.identity import display_name

        return display_name(self)


NATIONAL = "national"  # ``Header.place`` of a national issuer


@dataclass(slots=True)
class Clause:
    """One node of the outline: a section, item, point, bullet, article or table row."""

    id: str  # "<doc_id>#<path>"
    doc_id: str
    path: str  # "III.8", "III.1/3", "preamble", "Điều 5.2.a", "T1.3"
    kind: str  # preamble | part | section | item | point | bullet | chapter | article | clause | appendix | row
    label: str  # human form: "Mục III, điểm 8"
    heading: str  # normalised heading line, without its number ("Sở Tài chính")
    text: str  # verbatim source[start:end], children included
    start: int
    end: int
    own_end: int  # end of the node's own text (heading + body), before its first child
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    depth: int = 0
    cells: dict[str, str] | None = None  # table rows: column header -> cell text

    @property
    def own_text(self) -> str:
        return self.text[: self.own_end - self.start]


@dataclass(slots=True)
class Document:
    id: str
    source: str  # decoded text of the file, verbatim
    file: str | None = None  # path relative to the corpus dir
    sha256: str | None = None
    header: Header = field(default_factory=Header)
    clauses: list[Clause] = field(default_factory=list)  # pre-order
    references: list[Reference] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    wrapped: bool = False  # hard-wrapped text (a PDF's): a line break inside a sentence is a space

    def clause(self, path: str) -> Clause:
        for c in self.clauses:
            if c.path == path:
                return c
        raise KeyError(f"{self.id}: no clause {path!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """The tree ``to_dict`` wrote. Strings that repeat across it (the document's id, each
        clause's id where it is a parent, a child or an assignment's clause, kinds, roles) are
        read as one object each: an index of 100,000 clauses holds its trees in memory."""
        same: dict[str, str] = {}

        def one(x):
            return same.setdefault(x, x) if isinstance(x, str) else x

        for c in d.get("clauses", []):
            for k in ("id", "doc_id", "kind", "parent"):
                c[k] = one(c.get(k))
            c["children"] = [one(x) for x in c.get("children", [])]
        for a in d.get("assignments", []):
            for k in ("clause_id", "role", "cue", "source"):
                a[k] = one(a[k])
            a["roles"] = [one(x) for x in a.get("roles", [])]
        for r in d.get("references", []):
            r["clause_id"] = one(r.get("clause_id"))
        return cls(
            id=one(d["id"]),
            source=d["source"],
            file=d.get("file"),
            sha256=d.get("sha256"),
            header=Header(**d.get("header", {})),
            clauses=[Clause(**c) for c in d.get("clauses", [])],
            references=[Reference(**r) for r in d.get("references", [])],
            assignments=[Assignment(**a) for a in d.get("assignments", [])],
            warnings=list(d.get("warnings", [])),
            wrapped=bool(d.get("wrapped", False)),
        )
