"""Turn a .txt/.md/.docx/.pdf file into the plain text every later stage indexes into.

Readers decode and extract; they do not clean up. The text they return becomes
``Document.source`` and clause offsets point into it, so it is kept as decoded or
extracted, with exactly one transformation for every format: line endings ``\\r\\n``
and ``\\r`` become ``\\n``. (Unicode normalisation happens later, in another module.)

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
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.errors import CorruptFile, EmptyDocument, NeedsOCR, UndecodableText, UnsupportedFormat

SUPPORTED = (".txt", ".md", ".docx", ".pdf")


@dataclass
class Source:
    """The text of one file, as a reader produced it."""

    text: str  # verbatim as decoded/extracted (line endings -> "\n"); offsets index into this
    kind: str  # "txt" | "md" | "docx" | "pdf"
    encoding: str | None = None  # text files: "utf-8", "utf-8-sig", "utf-16", "cp1258"
    warnings: list[str] = field(default_factory=list)


def read(path: Path) -> Source:
    """Read the file at ``path``; see :func:`read_bytes`. ``OSError`` propagates."""
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path))


def read_bytes(data: bytes, name: str) -> Source:
    """Decode or extract ``data``; ``name`` gives the extension and names the file in errors.

    Raises UnsupportedFormat, UndecodableText, CorruptFile, NeedsOCR or EmptyDocument
    (all ``IngestError``); ``str(err)`` starts with ``name``.
    """
    ext = Path(name).suffix.lower()
    if ext in (".txt", ".md"):
        text, encoding, warnings = _decode_text(data, name)
        source = Source(text, ext[1:], encoding, warnings)
    elif ext == ".docx":
        source = _read_docx(data, name)
    elif ext == ".pdf":
        source = _read_pdf(data, name)
    else:
        shown = ext or "(không có phần mở rộng)"
        raise UnsupportedFormat(name, f"định dạng {shown} không được hỗ trợ; chỉ nhận {', '.join(SUPPORTED)}")
    source.text = source.text.replace("\r\n", "\n").replace("\r", "\n")
    if not source.text.strip():
        raise EmptyDocument(name, "tệp không có nội dung văn bản (empty document)")
    return source


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
        raise CorruptFile(name, f"tệp .docx bị hỏng hoặc không phải .docx ({type(exc).__name__})") from exc
    numbers = _ListNumbers(document)
    lines: list[str] = []

    def walk(container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                paragraph = Paragraph(child, document)
                lines.append(numbers.prefix(child, paragraph.style) + paragraph.text)
            elif child.tag == qn("w:tbl"):
                lines.append("")
                lines.extend(_table_rows(Table(child, document)))
                lines.append("")
            elif child.tag == qn("w:sdt"):  # content control: its paragraphs are body text too
                for content in child.iterchildren(qn("w:sdtContent")):
                    walk(content)

    walk(document.element.body)
    return Source("\n".join(lines), "docx", None, numbers.warnings)


def _table_rows(table) -> list[str]:
    """One line per row: cell texts joined by " | ", the paragraphs of a cell by " / ".

    A cell spanning several columns appears once; a vertically merged cell repeats its text
    in every row it covers (python-docx hands back the top cell), so each row keeps its agency.
    """
    rows = []
    for row in table.rows:
        texts, previous = [], None
        for cell in row.cells:
            if cell is not previous:  # python-docx yields a spanning cell once per grid column
                texts.append(" / ".join(p.strip() for p in cell.text.split("\n") if p.strip()))
            previous = cell
        rows.append(" | ".join(texts))
    return rows


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
                self._levels[(num_id, int(lvl.get(qn("w:ilvl"))))] = _level(lvl)
            for override in num.iterchildren(qn("w:lvlOverride")):  # "restart numbering" lives here
                key, start = (num_id, int(override.get(qn("w:ilvl")))), _val(override, "w:startOverride")
                for lvl in override.iterchildren(qn("w:lvl")):
                    self._levels[key] = _level(lvl)
                if start and key in self._levels:
                    self._levels[key] = (*self._levels[key][:2], int(start))

    def _num_pr(self, p, style) -> tuple[str, int] | None:
        """(numId, level) from the paragraph's own w:numPr, else from its style chain."""
        holders = [p]
        while style is not None and len(holders) < 12:  # "List Number" carries numPr in the style
            holders.append(style.element)
            style = style.base_style
        num_id = ilvl = None
        for holder in holders:
            for num_pr in holder.xpath("./w:pPr/w:numPr"):
                num_id = num_id or _val(num_pr, "w:numId")
                ilvl = ilvl or _val(num_pr, "w:ilvl")
        return None if num_id in (None, "0") else (num_id, int(ilvl or 0))

    def prefix(self, p, style) -> str:
        """Paragraph ``p``'s number plus a space ("2. ", "- " for bullets); "" if not a list item."""
        found = self._num_pr(p, style)
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
    return _val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "", int(start) if start else 1


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


def _read_pdf(data: bytes, name: str) -> Source:
    """The text layer of every page (pypdf), pages joined by "\\n"; a PDF without one needs OCR."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else list(reader.pages)
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise CorruptFile(name, f"tệp .pdf bị hỏng hoặc không mở được ({type(exc).__name__})") from exc
    if locked:
        raise CorruptFile(name, "tệp .pdf có mật khẩu, không mở được (encrypted PDF)")
    texts, warnings = [], []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # one bad page should not lose the rest of the document
            texts.append("")
            warnings.append(f"trang {number}: không trích được văn bản ({type(exc).__name__})")
            continue
        if not any(c.isalpha() for c in texts[-1]):
            warnings.append(f"trang {number}: không có chữ (có thể là trang quét)")
    text = "\n".join(texts)
    if pages and not any(c.isalpha() for c in text):
        raise NeedsOCR(name, "PDF không có lớp văn bản (bản quét) — cần OCR trước khi nạp (no text layer)")
    return Source(text, "pdf", None, warnings)
