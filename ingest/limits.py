"""Caps on what one file may unpack into, checked before the work they bound.

A 0.8 MB .docx can unzip to 200 MB of XML, and a short text can hold tens of thousands
of lines the outline parser reads one by one. Each cap is checked as early as the format
allows: the bytes of a text file before decoding them, the parts of a .docx (their sizes
as the zip declares them, which ``zipfile`` never reads past, then a streaming count of
paragraphs and characters) before python-docx builds its trees, the pages of a PDF before
extracting them and its text page by page. Every refusal is a ``TooLarge`` naming the
file, the figure and the cap.

The defaults are ``tracuu ingest``'s: a law or a code is one document, and the longest real
one (about 600,000 characters) loads whole. An upload is parsed while its user waits, so it
has caps of its own (``Limits.for_upload``: 200,000 characters unless a setting raises them;
the development set's directives are 12,000 to 47,000 characters long), and the unpacked
size of a .docx is tied to the largest upload.

>>> check_text("một\\nhai\\nba", "mau.txt", Limits(lines=2))
Traceback (most recent call last):
...
ingest.errors.TooLarge: mau.txt: văn bản có 3 dòng, quá giới hạn 2 dòng; hãy tách thành nhiều tệp
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from ingest.errors import CorruptFile, TooLarge

MB = 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _TEXT, _STYLE = f"{_W}p", f"{_W}t", f"{_W}style"
_XML = (".xml", ".rels")
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}  # what Word writes


INGEST_CHARS = 1_000_000  # a code is one document: the longest real one is about 600,000 characters
UPLOAD_CHARS = 200_000  # an upload is parsed while a user waits, in a child process under a timeout


def lines_for(chars: int) -> int:
    """The line cap that goes with a character cap: 15,000 lines for 200,000 characters
    (a page capture writes a table cell a line, so its lines are short)."""
    return max(15_000, chars * 3 // 40)


@dataclass(frozen=True)
class Limits:
    """The caps of ``tracuu ingest`` (a trusted folder) by default; ``for_upload`` gives an upload's."""

    unpacked_bytes: int = 40 * MB  # the parts of a .docx, uncompressed, together (images included)
    xml_bytes: int = 20 * MB  # its XML parts, uncompressed, together (what python-docx builds trees of)
    parts: int = 1000  # entries in a .docx's zip
    lines: int = lines_for(INGEST_CHARS)  # lines of the text (a .docx paragraph, a table row, a PDF line)
    chars: int = INGEST_CHARS  # characters of the text
    pages: int = 500  # pages of a PDF
    styles: int = 10_000  # styles of a .docx (Word's own templates have a few hundred)

    @classmethod
    def for_upload(cls, max_upload_mb: int, max_chars: int = UPLOAD_CHARS) -> Limits:
        """An upload's caps: ``max_chars`` characters and the lines that go with them, a .docx
        unpacking to at most twice the largest upload, its XML to at most the largest upload."""
        return cls(unpacked_bytes=2 * max_upload_mb * MB, xml_bytes=max_upload_mb * MB, chars=max_chars,
                   lines=lines_for(max_chars))

    @classmethod
    def for_ingest(cls, max_upload_mb: int) -> Limits:
        """``tracuu ingest``'s caps: the default characters and lines (every real law loads), a
        .docx unpacking to no less than an upload may."""
        return cls(unpacked_bytes=max(cls.unpacked_bytes, 2 * max_upload_mb * MB),
                   xml_bytes=max(cls.xml_bytes, max_upload_mb * MB))


def vi_number(value: int) -> str:
    """A count the Vietnamese way: 20.000."""
    return f"{value:,}".replace(",", ".")


def _refuse(name: str, found: str, cap: str) -> TooLarge:
    return TooLarge(name, f"{found}, quá giới hạn {cap}; hãy tách thành nhiều tệp")


def check_text(text: str, name: str, limits: Limits) -> None:
    """The text a reader produced, against the caps on characters and lines."""
    if len(text) > limits.chars:
        raise _refuse(name, f"văn bản dài {vi_number(len(text))} ký tự", f"{vi_number(limits.chars)} ký tự")
    lines = text.count("\n") + 1
    if lines > limits.lines:
        raise _refuse(name, f"văn bản có {vi_number(lines)} dòng", f"{vi_number(limits.lines)} dòng")


def check_text_bytes(data: bytes, name: str, limits: Limits) -> None:
    """A text file too long to hold ``limits.chars`` characters in any encoding we read
    (at most 4 bytes a character) is refused before it is decoded."""
    if len(data) > 4 * limits.chars:
        raise _refuse(name, f"tệp văn bản nặng {vi_number(len(data))} byte", f"{vi_number(limits.chars)} ký tự")


def check_docx(data: bytes, name: str, limits: Limits) -> None:
    """A .docx's zip: number of parts, their compression, their declared uncompressed sizes
    together, then paragraphs, characters and styles counted while streaming every part
    python-docx would parse as XML (constant memory).

    Which parts are XML is read from ``[Content_Types].xml``, as python-docx reads it, not
    from the names: a document part may be called ``document.dat``. Only the two compression
    methods Word writes are read (bzip2 and lzma inflate without a bound on memory), and a
    part that declares a DOCTYPE is refused (Word never writes one; an entity reference would
    silently cut its paragraph short)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, RuntimeError) as exc:
        raise CorruptFile(name, f"tệp .docx bị hỏng hoặc không phải .docx ({type(exc).__name__})") from exc
    if len(infos) > limits.parts:
        raise TooLarge(name, f"tệp .docx có {vi_number(len(infos))} thành phần, quá giới hạn {vi_number(limits.parts)} "
                             "(tệp nén bất thường)")
    odd = next((i for i in infos if i.compress_type not in _METHODS), None)
    if odd is not None:
        raise CorruptFile(name, f"tệp .docx bị hỏng hoặc bất thường: phần {odd.filename} nén bằng phương thức "
                                f"{odd.compress_type}, Word chỉ dùng stored hoặc deflate")
    xml_parts = _xml_parts(archive, infos, name, limits)
    xml = sum(i.file_size for i in xml_parts)
    for what, size, cap in (("", sum(i.file_size for i in infos), limits.unpacked_bytes),
                            (" phần XML", xml, limits.xml_bytes)):
        if size > cap:
            raise TooLarge(name, f"tệp .docx giải nén ra{what} {vi_number(-(-size // MB))} MB, quá giới hạn "
                                 f"{vi_number(cap // MB)} MB (tệp nén bất thường hoặc quá lớn)")
    counts = [0, 0, 0]  # paragraphs, characters, styles, over every XML part
    for info in xml_parts:
        try:
            with archive.open(info) as part:
                if _declares_doctype(part):
                    raise CorruptFile(name, f"tệp .docx bị hỏng hoặc bất thường: phần {info.filename} có khai báo "
                                            "DOCTYPE (Word không tạo ra)")
            with archive.open(info) as part:
                _count(part, counts, name, limits)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError) as exc:  # damaged, encrypted or an unknown compression
            raise docx_unreadable(name, exc, f"tệp .docx bị hỏng: phần {info.filename} không đọc được") from exc


def _xml_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> list:
    """The entries python-docx would parse as XML: named .xml or .rels, or given an XML
    content type in ``[Content_Types].xml`` (by name or by extension)."""
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    defaults, overrides = {}, {}
    if types is not None and types.file_size <= limits.xml_bytes:
        try:
            with archive.open(types) as part:
                for _, element in etree.iterparse(part, events=("end",), resolve_entities=False, no_network=True):
                    if element.tag == f"{_CT}Default":
                        defaults[(element.get("Extension") or "").lower()] = element.get("ContentType") or ""
                    elif element.tag == f"{_CT}Override":
                        overrides[(element.get("PartName") or "").lstrip("/").lower()] = element.get("ContentType") or ""
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise docx_unreadable(name, exc, "tệp .docx bị hỏng: phần [Content_Types].xml không đọc được") from exc

    def is_xml(info: zipfile.ZipInfo) -> bool:
        entry = info.filename.lower()
        kind = overrides.get(entry) or defaults.get(entry.rpartition(".")[2] if "." in entry else "", "")
        return entry.endswith(_XML) or "xml" in kind

    return [i for i in infos if not i.is_dir() and is_xml(i)]


def _declares_doctype(part) -> bool:
    """Whether an XML part has a DOCTYPE (read up to its root element only)."""
    for _, element in etree.iterparse(part, events=("start",), resolve_entities=False, no_network=True,
                                      load_dtd=False):
        docinfo = element.getroottree().docinfo
        return bool(docinfo.doctype) or docinfo.internalDTD is not None
    return False


def docx_unreadable(name: str, exc: Exception, what: str) -> CorruptFile | TooLarge:
    """The error for a .docx python-docx or lxml could not read."""
    if isinstance(exc, MemoryError):
        return TooLarge(name, "tệp .docx cần quá nhiều bộ nhớ để đọc (nội dung nén bất thường hoặc quá lớn)")
    return CorruptFile(name, f"{what} ({type(exc).__name__})")


def _count(part, counts: list[int], name: str, limits: Limits) -> None:
    """Add the paragraphs and characters of one XML part to ``counts``, streaming it: every
    element is dropped once read, so a part of many elements other than paragraphs (19 MB
    of styles) is not kept whole either (in a function, so no element outlives the part)."""
    for _, element in etree.iterparse(part, events=("end",), resolve_entities=False, no_network=True,
                                      huge_tree=False):
        tag = element.tag
        if tag == _TEXT:
            counts[1] += len(element.text or "")
            if counts[1] > limits.chars:
                raise TooLarge(name, f"tệp .docx có quá {vi_number(limits.chars)} ký tự; hãy tách thành nhiều tệp")
        elif tag == _PARAGRAPH:
            counts[0] += 1
            if counts[0] > limits.lines:
                raise TooLarge(name, f"tệp .docx có quá {vi_number(limits.lines)} đoạn văn; hãy tách thành nhiều tệp")
        elif tag == _STYLE:
            counts[2] += 1
            if counts[2] > limits.styles:
                raise TooLarge(name, f"tệp .docx có quá {vi_number(limits.styles)} kiểu định dạng (style) "
                                     "(tệp bất thường)")
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
