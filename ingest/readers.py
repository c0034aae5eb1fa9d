"""Turn a .txt/.md/.docx/.pdf file into the plain text every later stage indexes into.

Readers decode and extract; they do not clean up. The text they return becomes
``Document.source`` and clause offsets point into it, so it is kept as decoded or
extracted, with exactly two transformations for every format: line endings ``\\r\\n``
and ``\\r`` become ``\\n``, and control characters are taken out (``without_controls``).
(Unicode normalisation happens later, in another module.)
Every reader keeps within ``ingest.limits.Limits`` (size, lines, characters, pages).

>>> read_bytes("Kế hoạch mẫu\\r\\nthư viện số\\r\\n".encode("utf-8"), "mau.txt").text
'Kế hoạch mẫu\\nthư viện số\\n'
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pypdf
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ingest.errors import CorruptFile, EmptyDocument, NeedsOCR, TooLarge, UndecodableText, UnsupportedFormat
from ingest.limits import Limits, check_docx, check_text, check_text_bytes, docx_unreadable, vi_number

SUPPORTED = (".txt", ".md", ".docx", ".pdf")


@dataclass
class Source:
    """The text of one file, as a reader produced it."""

    text: str  # verbatim as decoded/extracted (line endings -> "\n"); offsets index into this
    kind: str  # "txt" | "md" | "docx" | "pdf"
    encoding: str | None = None  # text files: "utf-8", "utf-8-sig", "utf-16", "cp1258"
    warnings: list[str] = field(default_factory=list)


def read(path: Path, limits: Limits | None = None) -> Source:
    """Read the file at ``path``; see :func:`read_bytes`. ``OSError`` propagates."""
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path), limits)


def read_bytes(data: bytes, name: str, limits: Limits | None = None) -> Source:
    """Decode or extract ``data``; ``name`` gives the extension and names the file in errors.

    Raises UnsupportedFormat, UndecodableText, CorruptFile, NeedsOCR, TooLarge (beyond
    ``limits``, default ``Limits()``) or EmptyDocument (all ``IngestError``); ``str(err)``
    starts with ``name``.
    """
    limits = limits or Limits()
    ext = Path(name).suffix.lower()
    if ext in (".txt", ".md"):
        check_text_bytes(data, name, limits)
        text, encoding, warnings = _decode_text(data, name)
        source = Source(text, ext[1:], encoding, warnings)
    elif ext == ".docx":
        check_docx(data, name, limits)
        source = _read_docx(data, name)
    elif ext == ".pdf":
        source = _read_pdf(data, name, limits)
    else:
        check_format(name)
    source.text = without_controls(source.text.replace("\r\n", "\n").replace("\r", "\n"))
    check_text(source.text, name, limits)
    if not source.text.strip():
        raise EmptyDocument(name, "tệp không có nội dung văn bản (empty document)")
    return source


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SEPARATORS = re.compile("[\u2028\u2029]")


def without_controls(text: str) -> str:
    """``text`` without control characters (ESC, BEL, the C1 range: a terminal that prints a
    stored clause would obey them), tab, newline and form feed kept; the Unicode line and
    paragraph separators become newlines.

    >>> without_controls("Sở Y tế\\x1b]0;x\\x07 chủ trì\\u2028phối hợp")
    'Sở Y tế]0;x chủ trì\\nphối hợp'
    """
    return _SEPARATORS.sub("\n", _CONTROLS.sub("", text))


def check_format(name: str) -> None:
    """UnsupportedFormat unless ``name`` has an extension we read."""
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED:
        shown = ext or "(không có phần mở rộng)"
        raise UnsupportedFormat(name, f"định dạng {shown} không được hỗ trợ; chỉ nhận {', '.join(SUPPORTED)}")


# --- .txt / .md -------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_TRIED = "UTF-8, UTF-16, Windows-1258"


def _decode_text(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings), trying BOMs, UTF-8, BOM-less UTF-16, then cp1258."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):  # a BOM is decisive: no guessing past it
            text = _try_decode(data, encoding)
            if text is None or "\x00" in text:
                raise UndecodableText(name, f"không đọc được mã ký tự (có BOM {encoding} nhưng nội dung sai)")
            return text, encoding, []
    text = _try_decode(data, "utf-8")
    if text is not None and "\x00" not in text:  # NULs: BOM-less UTF-16 is valid UTF-8 too
        return text, "utf-8", []
    codec = _utf16_byte_order(data)
    text = _try_decode(data, codec) if codec else None
    if text is not None and _plausible(text):
        return text, "utf-16", [f"không có BOM; đoán là {codec.upper()} (guessed encoding)"]
    if _mostly_utf8(data):  # read as cp1258 it would become plausible-looking mojibake
        raise UndecodableText(name, f"không đọc được mã ký tự: UTF-8 có byte hỏng (đã thử {_TRIED})")
    text = _try_decode(data, "cp1258")
    if text is not None and _plausible(text):
        return text, "cp1258", ["không phải UTF-8; đã đọc theo Windows-1258 (guessed encoding)"]
    raise UndecodableText(name, f"không đọc được mã ký tự (đã thử {_TRIED}; unknown text encoding)")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_byte_order(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs crowd one byte parity (ASCII and Vietnamese letters do)."""
    half = len(data) // 2
    if half == 0 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0) / half, data[1::2].count(0) / half
    if odd >= 0.3 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Mostly valid UTF-8 multi-byte sequences, with a few damaged bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return sum(1 for c in text if ord(c) > 127) - bad >= 4 * bad > 0


def _plausible(text: str) -> bool:
    """Text, not binary: no control characters but \\t\\n\\r\\f, and mostly letters."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        return False
    visible = [c for c in text if not c.isspace()]
    letters = sum(1 for c in visible if c.isalpha() or unicodedata.category(c).startswith("M"))
    return not visible or letters >= 0.5 * len(visible)


# --- .docx -----------------------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> Source:
    """Body paragraphs and tables in document order; list numbers rendered; one paragraph a line."""
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
    return Source("\n".join(lines), "docx", None, numbers.warnings)


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


# --- .pdf ------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str, limits: Limits) -> Source:
    """The text layer of every page (pypdf), pages joined by "\\n"; a PDF without one needs OCR.
    Pages are counted before any is read, characters as they are read."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        count = 0 if locked else len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise CorruptFile(name, f"tệp .pdf bị hỏng hoặc không mở được ({type(exc).__name__})") from exc
    if locked:
        raise CorruptFile(name, "tệp .pdf có mật khẩu, không mở được (encrypted PDF)")
    if count > limits.pages:
        raise TooLarge(name, f"tệp .pdf có {vi_number(count)} trang, quá giới hạn {vi_number(limits.pages)} trang; "
                             "hãy tách thành nhiều tệp")
    texts, warnings, failures, chars = [], [], [], 0
    for number in range(count):
        try:
            texts.append(reader.pages[number].extract_text() or "")
        except Exception as exc:  # one bad page should not lose the rest of the document
            texts.append("")
            failures.append(type(exc).__name__)
            warnings.append(f"trang {number + 1}: không trích được văn bản ({failures[-1]})")
            continue
        chars += len(texts[-1]) + 1
        if chars > limits.chars:
            raise TooLarge(name, f"văn bản có quá {vi_number(limits.chars)} ký tự (đến trang {number + 1}/{count}); "
                                 "hãy tách thành nhiều tệp")
        if not any(c.isalpha() for c in texts[-1]):
            warnings.append(f"trang {number + 1}: không có chữ (có thể là trang quét)")
    text = "\n".join(texts)
    if count and failures and not any(c.isalpha() for c in text):  # a stream pypdf refused to inflate, …
        raise CorruptFile(name, f"không trích được văn bản từ trang nào của tệp .pdf ({failures[0]})")
    if count and not any(c.isalpha() for c in text):
        raise NeedsOCR(name, "PDF không có lớp văn bản (bản quét) — cần OCR trước khi nạp (no text layer)")
    return Source(text, "pdf", None, warnings)
