"""The lines of a normalised text, as the outline parser reads them.

Each line keeps its offsets in the normalised text (so clauses quote the source
verbatim) and a *reading*: the line without Markdown markup ("## I. MỤC TIÊU",
"**1. Mục tiêu chung**" read as "I. MỤC TIÊU", "1. Mục tiêu chung"), and, for a table row
("| 1 | Nhiệm vụ | Sở A |", or "1 | Nhiệm vụ | Sở A" as the .docx reader writes rows),
its cells. Markdown separator rows ("| --- | --- |") and empty lines are dropped.

Text extracted from a PDF is hard-wrapped: a sentence runs on over several lines, so a
line that opens with "1.000 tỷ đồng" or "Điều 5 Luật …" may continue the line above it.
``wrap_width`` tells whether a text is wrapped, and how wide its lines are.

>>> [ln.text for ln in lines_of("## I. MỤC TIÊU\\n**1. Mục tiêu chung**\\n| --- | --- |\\n")]
['I. MỤC TIÊU', '1. Mục tiêu chung']
>>> lines_of("| TT | Nhiệm vụ |")[0].cells
['TT', 'Nhiệm vụ']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_TERMINAL = tuple(".:;!?")
_LONE_MARK = re.compile(r"^[*_#]+$")
_ITEM = re.compile(r"^(?:[IVX]{1,5}(?:\.|\s?-)\s|\d{1,2}(?:\.\d{1,2})*(?:\.|\)|\s?-)\s?|\(\d{1,2}\)|[a-zđ]\)"
                   r"|[-+•·▪●◦–]\s?|Điều\s+\d|Chương\s+[IVXLC\d]|Mục\s+\d|PHỤ LỤC)")
LONG_LINE = 600  # a line this long may hold several items the capture ran together
# Where a new item starts inside a long line: after a sentence's end, "2. ", "b) ", "- ", "Điều 5." (bold or not).
_ITEM_START = re.compile(r"(?<=[.;:])\s+(?=(?:\*\*)?(?:\d{1,2}(?:\.\d{1,2})*\.\s|\(\d{1,2}\)\s|[a-zđ]\)\s|[-+•]\s"
                         r"|Điều\s\d+\.))")


@dataclass
class Line:
    text: str  # the reading: stripped, without markup
    start: int  # offsets of the stripped line in the normalised text
    end: int
    number: int  # 1-based line number
    cells: list[str] | None = None  # a table row's cells, read the same way
    raw: str = ""  # the stripped line as written (markup and layout spaces kept)
    span: int = 1  # lines of the text it covers (a capture's wrapped paragraph or table row covers several)

    def follows(self, previous: Line) -> bool:
        """Written on the line right after ``previous`` (no empty line or table cell between)."""
        return self.number == previous.number + previous.span

    @property
    def ends_sentence(self) -> bool:
        """Whether the line ends a sentence: "…", "… Điều 5.”" (a quoted amendment), "….)".

        >>> [Line(t, 0, 0, 1).ends_sentence for t in ("theo Điều 5.”", "(xem Điều 5.)", "(Mã: 1.014)", "và")]
        [True, True, False, False]
        """
        return self.text.rstrip("”\"’»*)").endswith(_TERMINAL) or self.text.endswith("./.")


def read(raw: str) -> str:
    """A line without Markdown heading marks and emphasis.

    >>> read("**1.** *Sở Tài chính*")
    '1. Sở Tài chính'
    """
    text = _HEADING_MARK.sub("", raw.strip())
    return " ".join(_EMPHASIS.sub("", text).split())


def cells_of(text: str) -> list[str] | None:
    """The cells of a table row ("| a | b |" or "a | b | c"); None for other lines.

    >>> cells_of("| 1 | Xây dựng | Sở A |"), cells_of("TT | Nhiệm vụ | Cơ quan chủ trì"), cells_of("a | b")
    (['1', 'Xây dựng', 'Sở A'], ['TT', 'Nhiệm vụ', 'Cơ quan chủ trì'], None)
    """
    t = text.strip()
    if t.startswith("|"):
        parts = t.strip("|").split("|")
        return [read(p) for p in parts] if len(parts) >= 2 or t.endswith("|") else None
    if t.count("|") >= 2:
        return [read(p) for p in t.split("|")]
    return None


def lines_of(text: str) -> list[Line]:
    """The lines of ``text``; a page capture of the law portal is read by ``ingest.capture``
    (its furniture dropped, its tables one line per row)."""
    from ingest.capture import capture_lines

    captured = capture_lines(text)
    if captured is not None:
        return captured
    out, pos = [], 0
    for number, raw in enumerate(text.split("\n"), 1):
        out.extend(line_of(raw.strip(), pos + (len(raw) - len(raw.lstrip())), number))
        pos += len(raw) + 1
    return out


def line_of(stripped: str, start: int, number: int) -> list[Line]:
    """The lines read from one stripped line written at ``start``: none for an empty line, a
    Markdown table separator or a lone emphasis mark; several for a very long line that
    starts new numbered items or bullets within itself.

    >>> [ln.text[:22] for ln in line_of("Giao các sở thực hiện: 1. Sở A lập kế hoạch. 2. Sở B thẩm định; " + "x" * 600, 0, 1)]
    ['Giao các sở thực hiện:', '1. Sở A lập kế hoạch.', '2. Sở B thẩm định; xxx']
    """
    if not stripped or _SEPARATOR.match(stripped) or _LONE_MARK.match(stripped):
        return []
    cells = cells_of(stripped)
    if cells is None and len(stripped) > LONG_LINE:
        cuts = [0] + [m.start() for m in _ITEM_START.finditer(stripped)] + [len(stripped)]
        if len(cuts) > 2:
            pieces = [(a, stripped[a:b].rstrip()) for a, b in zip(cuts, cuts[1:])]
            return [Line(read(p), start + a, start + a + len(p), number, None, p) for a, p in pieces if read(p)]
    reading = " | ".join(c for c in cells if c) if cells is not None else read(stripped)
    if not (reading or cells):
        return []
    return [Line(reading, start, start + len(stripped), number, cells, stripped)]


def starts_item(text: str) -> bool:
    """Whether a line (its reading) opens a numbered item, a lettered point, a bullet, an article.

    >>> starts_item("2.1. Sở A"), starts_item("b) rà soát"), starts_item("- Sở B"), starts_item("tháng 7 năm 2099")
    (True, True, True, False)
    """
    return bool(_ITEM.match(text))


def wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped text (PDF extraction) is wrapped at, or None if it is not.

    A wrapped text has many long lines of about the same length that end mid-sentence. The
    width is where most lines end: the length ``w`` with the most lines in ``[0.9 w, w]``, so that
    a capture's unwrapped paragraphs (its furniture, a footnote, a table) around a body wrapped
    at 80 columns do not hide it.

    >>> wrapped = [Line("x" * 78 + " và", 0, 0, n) for n in range(10)] + [Line("y" * 300 + ".", 0, 0, 11)] * 3
    >>> wrap_width(wrapped), wrap_width([Line("Một câu trọn vẹn " * 5 + ".", 0, 0, n) for n in range(10)])
    (81, None)
    """
    long = sorted(len(ln.text) for ln in lines if len(ln.text) >= 40 and ln.cells is None)
    if len(long) < 8:
        return None
    width = max(set(long), key=lambda w: (bisect_right(long, w) - bisect_left(long, 0.9 * w), -w))
    near = [ln for ln in lines if ln.cells is None and 0.75 * width <= len(ln.text) <= width]
    open_ended = sum(not ln.ends_sentence for ln in near)
    return width if len(near) >= 8 and open_ended >= 0.6 * len(near) else None


def runs_on(previous: Line | None, line: Line, width: int | None) -> bool:
    """Whether ``line`` continues the sentence of ``previous`` in a wrapped text."""
    if width is None or previous is None or previous.cells is not None or previous.ends_sentence:
        return False
    return len(previous.text) >= 0.75 * width
