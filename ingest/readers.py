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

import pypdf

from ingest.docx_text import read_docx
from ingest.errors import CorruptFile, EmptyDocument, NeedsOCR, TooLarge, UndecodableText, UnsupportedFormat
from ingest.limits import Limits, check_docx, check_text, check_text_bytes, vi_number

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
        text, warnings = read_docx(data, name)
        source = Source(text, "docx", None, warnings)
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
