"""ingest.readers: every fixture is read into the text a user would expect, or refused by name."""

from __future__ import annotations

import codecs
import importlib.util
import io
import unicodedata
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import given
from hypothesis import strategies as st

from ingest.errors import CorruptFile, EmptyDocument, NeedsOCR, UndecodableText, UnsupportedFormat
from ingest.readers import SUPPORTED, read, read_bytes

FIXTURES = Path(__file__).parent / "fixtures"
_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

PLAN_LINES = make_fixtures.SHORT_PLAN.splitlines()  # what the .txt and .pdf fixtures contain
TABLE_HEADER = "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- .docx ---------------------------------------------------------------------------------


def test_docx_plan_keeps_header_lines_in_order():
    source = read(FIXTURES / "fixture-ke-hoach-bang-nhiem-vu.docx")
    assert source.kind == "docx"
    assert source.text.split("\n")[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH MẪU",
        "Số: 12/KH-UBND",
        "Tỉnh Mẫu, ngày 5 tháng 3 năm 2025",
        "KẾ HOẠCH",
        "Phát triển thư viện số giai đoạn 2025 - 2027 (tài liệu thử nghiệm)",
    ]


def test_docx_word_auto_numbering_and_bullets_are_rendered():
    lines = read(FIXTURES / "fixture-ke-hoach-bang-nhiem-vu.docx").text.split("\n")
    start = lines.index("II. NHIỆM VỤ")
    assert lines[start + 1 : start + 5] == [
        "1. Số hóa tài liệu lưu trữ của các sở, ngành.",
        "2. Xây dựng cổng tra cứu thư viện số cho người dân.",
        "- Ưu tiên tài liệu thường xuyên được tra cứu.",
        "- Bảo đảm an toàn thông tin khi chia sẻ dữ liệu.",
    ]


def test_docx_table_rows_become_pipe_lines_between_the_paragraphs_around_it():
    lines = read(FIXTURES / "fixture-ke-hoach-bang-nhiem-vu.docx").text.split("\n")
    header = lines.index(TABLE_HEADER)
    assert lines[header - 2 : header] == ["Các cơ quan triển khai theo bảng phân công dưới đây:", ""]
    assert lines[header + 1 : header + 5] == [
        "1 | Số hóa tài liệu lưu trữ dùng chung | Sở Nội vụ | Sở Khoa học và Công nghệ | Quý IV/2025",
        # the paragraphs of a cell are joined by " / ", so a row stays on one line
        "2 | Xây dựng cổng tra cứu thư viện số | Sở Khoa học và Công nghệ | Sở Tài chính; / Sở Nội vụ | Năm 2026",
        "3 | Bố trí kinh phí vận hành thư viện số | Sở Tài chính | Các sở, ngành liên quan | Hằng năm",
        "",
    ]
    assert lines[header + 5].startswith("Trên đây là Kế hoạch mẫu")
    assert lines.index("III. TỔ CHỨC THỰC HIỆN") < header


def _numbered_docx(items: list[tuple[str, int | None]]) -> bytes:
    """A docx whose paragraphs carry their own w:numPr (numId 90; level None = numId 0, "no list")."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("upperRoman", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "%3)"), ("bullet", "\uf0b7")]
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        + "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        + "</w:abstractNum>"
    )
    numbering.find(qn("w:num")).addprevious(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in items:
        paragraph = document.add_paragraph(text)
        num_id, ilvl = ("0", 0) if level is None else ("90", level)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_multilevel_numbering_formats_and_restarts_deeper_levels():
    data = _numbered_docx(
        [("Mục một", 0), ("Việc một", 1), ("Việc hai", 1), ("Ý a", 2), ("Ý b", 2), ("Ghi chú", 3),
         ("Mục hai", 0), ("Việc một của mục hai", 1), ("Ý a của mục hai", 2), ("Không đánh số", None)]
    )
    assert read_bytes(data, "so-cap.docx").text.split("\n") == [
        "I. Mục một",
        "I.1. Việc một",
        "I.2. Việc hai",
        "a) Ý a",
        "b) Ý b",
        "- Ghi chú",
        "II. Mục hai",
        "II.1. Việc một của mục hai",
        "a) Ý a của mục hai",
        "Không đánh số",
    ]


def test_broken_docx_is_refused_by_name():
    with pytest.raises(CorruptFile) as err:
        read(FIXTURES / "fixture-hong.docx")
    assert "fixture-hong.docx" in str(err.value)
    assert "tệp .docx bị hỏng hoặc không phải .docx" in str(err.value)


def test_docx_with_only_empty_paragraphs_is_empty():
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(EmptyDocument, match="trang-trang.docx"):
        read_bytes(buffer.getvalue(), "trang-trang.docx")


# --- .pdf ----------------------------------------------------------------------------------


def test_pdf_text_layer_is_read_across_pages():
    source = read(FIXTURES / "fixture-van-ban-co-lop-chu.pdf")
    assert source.kind == "pdf"
    assert source.warnings == []
    # page 1 ends with the second bullet, page 2 starts with section II: joined by one newline
    assert source.text.split("\n") == PLAN_LINES
    assert "1. Sở Khoa học và Công nghệ chủ trì xây dựng thư viện số dùng chung." in source.text


def test_scanned_pdf_asks_for_ocr():
    with pytest.raises(NeedsOCR) as err:
        read(FIXTURES / "fixture-ban-quet-khong-chu.pdf")
    assert "fixture-ban-quet-khong-chu.pdf" in str(err.value)
    assert "cần OCR" in str(err.value)


def test_unopenable_pdf_is_corrupt():
    with pytest.raises(CorruptFile, match="hong.pdf"):
        read_bytes(b"%PDF-1.7\nnot really a pdf", "hong.pdf")


def test_password_protected_pdf_is_refused_by_name():
    writer = pypdf.PdfWriter(clone_from=FIXTURES / "fixture-van-ban-co-lop-chu.pdf")
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(CorruptFile, match="co-mat-khau.pdf.*mật khẩu"):
        read_bytes(buffer.getvalue(), "co-mat-khau.pdf")


# --- .txt / .md ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [("fixture-utf8-bom.txt", "utf-8-sig"), ("fixture-utf16.txt", "utf-16"), ("fixture-windows-1258.txt", "cp1258")],
)
def test_text_encodings_decode_to_the_same_vietnamese_text(fixture, encoding):
    source = read(FIXTURES / fixture)
    assert (source.kind, source.encoding) == ("txt", encoding)
    assert not source.text.startswith("\ufeff")  # BOM stripped
    assert "\r" not in source.text  # the utf16 and 1258 fixtures are CRLF
    assert nfc(source.text).split("\n")[:-1] == PLAN_LINES
    assert "Sở Tài chính bố trí kinh phí thực hiện hằng năm." in nfc(source.text)


def test_windows_1258_text_is_kept_verbatim_not_normalised():
    text = read(FIXTURES / "fixture-windows-1258.txt").text
    # cp1258 writes "ệ" as "ê" + combining dot below; offsets must index that exact string
    assert "NHIÊ\u0323M" in text
    assert text != nfc(text)


def test_line_endings_become_lf():
    source = read_bytes("Dòng một\r\nDòng hai\rDòng ba\n".encode(), "dong.md")
    assert (source.kind, source.text) == ("md", "Dòng một\nDòng hai\nDòng ba\n")


def test_utf16_big_endian_and_bomless_little_endian():
    text = "Thư viện số\nSở Nội vụ chủ trì\n"
    assert read_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "be.txt").text == text
    guessed = read_bytes(text.encode("utf-16-le"), "le.TXT")
    assert (guessed.text, guessed.encoding) == (text, "utf-16")
    assert guessed.warnings  # a guess is reported


def test_damaged_utf8_is_refused_rather_than_read_as_mojibake():
    # every byte here also decodes as cp1258, into letter-rich mojibake ("Káºÿ hoáº¡ch")
    data = bytearray("Kế hoạch thư viện số của Tỉnh Mẫu năm nay".encode())
    data[3] = 0xFF
    with pytest.raises(UndecodableText, match="hong-mot-byte.txt"):
        read_bytes(bytes(data), "hong-mot-byte.txt")


def test_binary_garbage_is_undecodable_and_says_what_was_tried():
    with pytest.raises(UndecodableText) as err:
        read(FIXTURES / "fixture-nhi-phan.txt")
    assert "fixture-nhi-phan.txt" in str(err.value)
    assert "UTF-8, UTF-16, Windows-1258" in str(err.value)


def test_symbols_only_text_is_not_guessed_as_windows_1258():
    with pytest.raises(UndecodableText, match="ky-hieu.txt"):
        read_bytes(b"\xa9 \xae \xb0 \xb1 \xbc 12 34 %% ## ** \xa7\xa7", "ky-hieu.txt")


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n", codecs.BOM_UTF8])
def test_empty_or_blank_text_is_empty_document(data):
    with pytest.raises(EmptyDocument, match="rong.txt"):
        read_bytes(data, "rong.txt")


def test_empty_fixture_file_is_empty_document():
    with pytest.raises(EmptyDocument, match="fixture-rong.txt"):
        read(FIXTURES / "fixture-rong.txt")


VIETNAMESE_WORDS = st.lists(
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐƯƠ",
            min_size=1, max_size=8),
    min_size=1, max_size=12,
).map(" ".join)


@given(VIETNAMESE_WORDS)
def test_any_vietnamese_text_survives_every_accepted_encoding(text):
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("utf-16"),
                 make_fixtures.encode_cp1258(text)):
        assert nfc(read_bytes(data, "vi.txt").text) == text


# --- other formats -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ke-hoach.doc", "bang.xlsx", "khong-duoi"])
def test_unsupported_extension_is_refused_listing_supported_ones(name):
    with pytest.raises(UnsupportedFormat) as err:
        read_bytes(b"anything", name)
    assert name in str(err.value)
    assert all(ext in str(err.value) for ext in SUPPORTED)
