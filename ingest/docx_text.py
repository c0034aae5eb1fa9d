"""A .docx's text for ``ingest.readers``: body paragraphs and tables in document order, each
paragraph a line, list numbers rendered as Word shows them (python-docx gives the paragraphs and
tables; the numbering part it does not render is read here)."""

from __future__ import annotations

import io
import re

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ingest.limits import docx_unreadable


def read_docx(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text (body paragraphs and tables in document order; list numbers rendered; one paragraph a
    line) and the warnings of a .docx."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zip, package and XML errors all mean "not a usable .docx"
        raise docx_unreadable(name, exc, "tệp .docx bị hỏng hoặc không phải .docx") from exc
    numbers, styles = _ListNumbers(document), _Styles(document)
    lines: list[str] = []

    def walk(container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                lines.append(numbers.prefix(child, styles.chain(child)) + Paragraph(child, document).text)
            elif child.tag == qn("w:tbl"):
                lines.append("")
                lines.extend(_table_rows(child, document))
                lines.append("")
            elif child.tag == qn("w:sdt"):  # content control: its paragraphs are body text too
                for content in child.iterchildren(qn("w:sdtContent")):
                    walk(content)

    walk(document.element.body)
    return "\n".join(lines), numbers.warnings


class _Styles:
    """Paragraph styles by id, read once from the styles part.

    python-docx's ``paragraph.style`` searches the styles part again for every paragraph
    (about 2 ms each: 30 s for 15,000 paragraphs); this looks the id up in a dict, with the
    same fallback (a missing or non-paragraph style id means the default paragraph style).
    """

    def __init__(self, document):
        self._by_id: dict[str, object] = {}
        self._default = None
        style_id, kind, default = qn("w:styleId"), qn("w:type"), qn("w:default")  # once, not per style
        for style in document.styles.element.iterchildren(qn("w:style")):
            self._by_id.setdefault(style.get(style_id), style)
            if style.get(kind) == "paragraph" and style.get(default) in ("1", "true", "on"):
                self._default = style  # the last default wins, as in Word

    def chain(self, p) -> list:
        """The style of paragraph ``p`` and the styles it is based on, nearest first."""
        p_pr = p.find(qn("w:pPr"))
        style = self._by_id.get(_val(p_pr, "w:pStyle")) if p_pr is not None else None
        if style is None or style.get(qn("w:type"), "paragraph") != "paragraph":
            style = self._default
        chain = []
        while style is not None and len(chain) < 11 and style not in chain:  # "based on" may loop
            chain.append(style)
            style = self._by_id.get(_val(style, "w:basedOn"))
        return chain


def _table_rows(tbl, document) -> list[str]:
    """One line per row: cell texts joined by " | ", the paragraphs of a cell by " / ".

    A cell spanning several columns appears once; a vertically merged cell repeats its text
    in every row it covers, so each row keeps its agency. The rows are read in one pass,
    keeping the text that covers each grid column: python-docx's ``row.cells`` looks up
    every continued cell row by row (a 3,000-row merged column took over 30 s).
    """
    rows, covering = [], {}  # grid column -> text of the cell over it
    for tr in tbl.iterchildren(qn("w:tr")):
        tr_pr = tr.find(qn("w:trPr"))
        column = _int(_val(tr_pr, "w:gridBefore") if tr_pr is not None else None, 0, 64)
        texts = []
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(1, _int(_val(tc_pr, "w:gridSpan") if tc_pr is not None else None, 1, 64))
            merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
                text = covering.get(column, "")
            else:
                cell = (Paragraph(p, document).text for p in tc.iterchildren(qn("w:p")))
                text = " / ".join(t.strip() for c in cell for t in c.split("\n") if t.strip())
            covering.update(dict.fromkeys(range(column, column + span), text))
            texts.append(text)
            column += span
        rows.append(" | ".join(texts))
    return rows


MAX_START = 32767  # the largest list start Word accepts


class _ListNumbers:
    """Word's automatic list numbers ("1.", "a)", "II."), which python-docx leaves out of the text.

    Counters are kept per numId and level; a level's counter restarts when a shallower
    level of the same list advances.
    """

    def __init__(self, document):
        self.warnings: list[str] = []
        self._levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # -> (numFmt, lvlText, start)
        self._counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:  # no numbering part: no automatic numbers anywhere
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract = abstracts.get(_val(num, "w:abstractNumId"))
            for lvl in [] if abstract is None else abstract.iterchildren(qn("w:lvl")):
                self._levels[(num_id, _int(lvl.get(qn("w:ilvl")), 0, 8))] = _level(lvl)
            for override in num.iterchildren(qn("w:lvlOverride")):  # "restart numbering" lives here
                key, start = (num_id, _int(override.get(qn("w:ilvl")), 0, 8)), _val(override, "w:startOverride")
                for lvl in override.iterchildren(qn("w:lvl")):
                    self._levels[key] = _level(lvl)
                if start and key in self._levels:
                    self._levels[key] = (*self._levels[key][:2], _int(start, 1, MAX_START))

    def _num_pr(self, p, styles: list) -> tuple[str, int] | None:
        """(numId, level) from the paragraph's own w:numPr, else from its style chain
        ("List Number" carries numPr in the style)."""
        num_id = ilvl = None
        for holder in [p, *styles]:
            p_pr = holder.find(qn("w:pPr"))
            num_pr = None if p_pr is None else p_pr.find(qn("w:numPr"))  # find, not xpath: 30 µs less a paragraph
            if num_pr is not None:
                num_id = num_id or _val(num_pr, "w:numId")
                ilvl = ilvl or _val(num_pr, "w:ilvl")
        return None if num_id in (None, "0") else (num_id, _int(ilvl, 0, 8))

    def prefix(self, p, styles: list) -> str:
        """Paragraph ``p``'s number plus a space ("2. ", "- " for bullets); "" if not a list item.
        ``styles``: its style chain (``_Styles.chain``)."""
        found = self._num_pr(p, styles)
        if found is None:
            return ""
        num_id, ilvl = found
        if (num_id, ilvl) not in self._levels:
            warning = f"không tìm thấy định nghĩa đánh số numId={num_id} cấp {ilvl}; bỏ qua số thứ tự"
            if warning not in self.warnings:
                self.warnings.append(warning)
            return ""
        fmt, lvl_text, start = self._levels[(num_id, ilvl)]
        counts = self._counts.setdefault(num_id, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else start
        for deeper in [level for level in counts if level > ilvl]:
            del counts[deeper]
        if fmt == "bullet":
            return "- "

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = self._levels.get((num_id, level), ("decimal", "", 1))
            return _format_number(counts.get(level, level_start), level_fmt)

        rendered = re.sub(r"%([1-9])", number, lvl_text)
        return rendered + " " if rendered.strip() else ""


def _level(lvl) -> tuple[str, str, int]:
    """(numFmt, lvlText, start) of a w:lvl definition."""
    start = _val(lvl, "w:start")
    return _val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "", _int(start, 1, MAX_START)


def _int(value: str | None, default: int, most: int) -> int:
    """A number from the XML, ``default`` when missing or not a number, at most ``most``
    (a hostile file may say gridSpan="1000000000" or start="x")."""
    try:
        return min(int(value), most) if value is not None else default
    except ValueError:
        return default


def _val(element, tag: str) -> str | None:
    """The w:val of ``element``'s first ``tag`` child, if any."""
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


_ROMAN = tuple(zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
                   "M CM D CD C XC L XL X IX V IV I".split()))


def _format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in a Word numFmt; unknown formats fall back to decimal."""
    if n >= 1 and fmt in ("lowerLetter", "upperLetter"):
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: y, z, aa, bb, ...
        return letters.upper() if fmt == "upperLetter" else letters
    if n >= 1 and fmt in ("lowerRoman", "upperRoman"):
        roman = ""
        for value, digits in _ROMAN:
            count, n = divmod(n, value)
            roman += digits * count
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


