"""Hostile and broken files for the upload tests, made by code when a test asks for them.

Every text in them is invented ("fixture" wording, an imaginary "Tỉnh Mẫu"); none comes
from a real directive. Each maker returns the bytes of one file; the tests name the files
``fixture-…``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'.encode()
BODY_END = b"</w:body></w:document>"
PLAN_LINES = ["KẾ HOẠCH MẪU (tài liệu thử nghiệm)", "I. NHIỆM VỤ",
              "1. Sở Tài chính chủ trì bố trí kinh phí cho thư viện số của Tỉnh Mẫu.",
              "2. Sở Y tế phối hợp xây dựng cơ sở dữ liệu mẫu."]


def _paragraph(text: str, style: str | None = None) -> bytes:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def _base_parts() -> dict[str, bytes]:
    """The parts of an empty document as python-docx writes it."""
    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def docx_with(body: Iterable[bytes] | None = None, parts: dict[str, Iterable[bytes]] | None = None) -> bytes:
    """A .docx whose document.xml is ``BODY_START + body + BODY_END`` (streamed, so it may be
    huge) and whose other parts are python-docx's, replaced or added by ``parts``."""
    out = io.BytesIO()
    replaced = dict(parts or {})
    if body is not None:
        replaced["word/document.xml"] = [BODY_START, *body, BODY_END]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _base_parts().items():
            if name not in replaced:
                z.writestr(name, data)
        for name, chunks in replaced.items():
            with z.open(name, "w") as f:
                for chunk in chunks:
                    f.write(chunk)
    return out.getvalue()


def plan_docx() -> bytes:
    return docx_with(_paragraph(line) for line in PLAN_LINES)


def bomb_docx(megabytes: int = 200) -> bytes:
    """document.xml unzips to ``megabytes`` MB of text paragraphs (the zip is about 0.5 MB)."""
    chunk = _paragraph("a" * 1000)
    return docx_with(chunk for _ in range(megabytes * 1024 * 1024 // len(chunk)))


def lying_sizes_docx() -> bytes:
    """The bomb, its central directory claiming document.xml unzips to 100 KB."""
    data = bytearray(bomb_docx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        offset = z.start_dir
    name = b"word/document.xml"
    while (i := data.find(b"PK\x01\x02", offset)) != -1:
        n = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46:i + 46 + n]) == name:
            struct.pack_into("<I", data, i + 24, 100_000)
        offset = i + 4
    return bytes(data)


def empty_paragraphs_docx(count: int) -> bytes:
    return docx_with([b"<w:p/>" * count])


def many_parts_docx(count: int = 5000) -> bytes:
    return docx_with(parts={f"customXml/item{i}.xml": [b"<a/>"] for i in range(count)})


def deep_docx(depth: int = 3000) -> bytes:
    """Content controls nested ``depth`` deep."""
    return docx_with([b"<w:sdt><w:sdtContent>" * depth, _paragraph("sâu"), b"</w:sdtContent></w:sdt>" * depth])


def entities_docx() -> bytes:
    """'Billion laughs': entities that expand to 10^9 copies of a word, if expanded."""
    decl = ['<!ENTITY l0 "cuoi">'] + [f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE w:document [{''.join(decl)}]>".encode()
    start = BODY_START.replace(b"?><w:document", b"?>" + doctype + b"<w:document", 1)
    out = docx_with(parts={"word/document.xml": [start, _paragraph("&l9;"), BODY_END]})
    return out


def vmerged_table_docx(rows: int = 3000) -> bytes:
    """A one-column table whose cell every row after the first continues the one above."""
    cell = '<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    first = '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Nội dung mẫu</w:t></w:r></w:p></w:tc>'
    table = ('<w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid>' + f"<w:tr>{first}</w:tr>"
             + f"<w:tr>{cell}</w:tr>" * (rows - 1) + "</w:tbl>")
    return docx_with([table.encode()])


def style_loop_docx() -> bytes:
    """Two styles based on each other, used by the plan's paragraphs."""
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">'
              '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style>'
              '</w:styles>').encode()
    return docx_with((_paragraph(line, "A") for line in PLAN_LINES), parts={"word/styles.xml": [styles]})


def styles_bomb_docx(megabytes: int = 19) -> bytes:
    """styles.xml of ``megabytes`` MB of styles (19: just inside the cap on XML), the body empty."""
    style = b'<w:style w:type="paragraph" w:styleId="s"><w:name w:val="s"/></w:style>'
    return _part_bomb_docx("word/styles.xml", "styles", style, megabytes)


def settings_bomb_docx(megabytes: int = 19) -> bytes:
    """settings.xml of ``megabytes`` MB of settings (python-docx builds its tree when the file
    opens), the body empty: past every cap on counts, only the memory limit stops it."""
    return _part_bomb_docx("word/settings.xml", "settings", b'<w:zoom w:percent="100"/>', megabytes)


def _part_bomb_docx(part: str, root: str, element: bytes, megabytes: int) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:{root} xmlns:w="{W}">'.encode()
    repeated = (element for _ in range(megabytes * 1024 * 1024 // len(element)))
    return docx_with([b"<w:p/>"], parts={part: [head, *repeated, f"</w:{root}>".encode()]})


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 0 obj is the catalog), with a correct xref table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_pages(count: int) -> bytes:
    """``count`` pages sharing one content stream that writes a line of text."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(count))
    stream = b"BT /F1 12 Tf 72 720 Td (Trang mau) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources " + font + b" >>"
                for _ in range(count)]
    return _pdf(objects)


def pdf_bomb(megabytes: int = 200) -> bytes:
    """One page whose compressed content stream inflates to ``megabytes`` MB."""
    raw = zlib.compressobj(9)
    unit = b"BT ET\n" * 10_000
    packed = b"".join(raw.compress(unit) for _ in range(megabytes * 1024 * 1024 // len(unit))) + raw.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"]
    return _pdf(objects)


def text_lines(lines: Iterable[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def dense_text(chars: int) -> bytes:
    """A plan of numbered items, each naming bodies and roles, ``chars`` characters long: the
    costliest text per character for the parser that stays under the caps."""
    line = "- Sở Tài chính chủ trì, Sở Y tế và Sở Nội vụ phối hợp thực hiện nhiệm vụ mẫu."
    body = [PLAN_LINES[0], PLAN_LINES[1]] + [line] * ((chars - 60) // (len(line) + 1))
    return text_lines(body)


def long_heading_bullets(heading_chars: int = 50_000, bullets: int = 300) -> bytes:
    """``bullets`` bullets under one heading ``heading_chars`` long: every unit carried the
    whole heading (a 25 MB units.json for 58 KB, 90 s of segmenting) before the caps."""
    heading = "I. " + ("NHIỆM VỤ MẪU " * (heading_chars // 13))[:heading_chars]
    return text_lines([PLAN_LINES[0], heading] + [f"- Sở Y tế thực hiện việc mẫu số {i}." for i in range(bullets)])


def dense_table_txt(kilobytes: int = 62) -> bytes:
    """Table rows of figures: few words, many model tokens per character."""
    row = "| " + " | ".join(f"{i * 7919 % 100000:05d},{i % 97:02d}" for i in range(12)) + " |"
    return text_lines([PLAN_LINES[0], PLAN_LINES[1], "1. Sở Tài chính tổng hợp số liệu sau:"]
                      + [row] * (kilobytes * 1024 // (len(row) + 1)))


def renamed_parts_docx(styles: int = 150_000) -> bytes:
    """The document and styles parts named ``document.dat`` and ``styles.dat`` (their content
    types say what they are, as python-docx reads them), with ``styles`` styles."""
    style = b'<w:style w:type="paragraph" w:styleId="s"><w:name w:val="s"/></w:style>'
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">'.encode()
    parts = _base_parts()
    renamed = {"word/document.xml": "word/document.dat", "word/styles.xml": "word/styles.dat",
               "word/_rels/document.xml.rels": "word/_rels/document.dat.rels"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name == "word/styles.xml":
                with z.open(renamed[name], "w") as f:
                    f.write(head)
                    for _ in range(styles):
                        f.write(style)
                    f.write(b"</w:styles>")
                continue
            if name == "word/document.xml":
                data = BODY_START + b"".join(_paragraph(line) for line in PLAN_LINES) + BODY_END
            for old, new in renamed.items():
                data = data.replace(old.encode(), new.encode()).replace(old.removeprefix("word/").encode(),
                                                                        new.removeprefix("word/").encode())
            z.writestr(renamed.get(name, name), data)
    return out.getvalue()


def bzip2_bomb_docx(megabytes: int = 200) -> bytes:
    """A .docx whose document part is compressed with bzip2 and inflates to ``megabytes`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _base_parts().items():
            if name != "word/document.xml":
                z.writestr(name, data)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_BZIP2
        with z.open(info, "w") as f:
            f.write(BODY_START)
            chunk = _paragraph("a" * 1000)
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                f.write(chunk)
            f.write(BODY_END)
    return out.getvalue()


def external_entity_docx() -> bytes:
    """A paragraph with an external entity reference in the middle (XXE)."""
    doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    start = BODY_START.replace(b"?><w:document", b"?>" + doctype + b"<w:document", 1)
    body = [_paragraph(line) for line in PLAN_LINES[:2]] + [_paragraph("1. Sở Tài chính &xxe; chủ trì bố trí kinh phí.")]
    return docx_with(parts={"word/document.xml": [start, *body, BODY_END]})


def control_characters_txt() -> bytes:
    """The plan with terminal escapes (colour, a window title, a bell) and a Unicode line separator."""
    return text_lines([PLAN_LINES[0], PLAN_LINES[1],
                       "1. Sở Tài chính \x1b[31mchủ trì\x1b[0m bố trí kinh phí \x1b]0;tieu-de\x07cho thư viện số.\u2028"
                       "Sở Y tế phối hợp."])


def pdf_missing_objects(pages: int = 400) -> bytes:
    """``pages`` pages whose fonts each name an object the file does not hold: pypdf logs a
    warning for every one it looks up (400 lines; 22,000 for a real damaged 900 KB PDF)."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    stream = b"BT /F1 12 Tf 72 720 Td (Trang mau) Tj /F2 12 Tf (x) Tj ET"
    font = b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << "
                + font + b" /F2 %d 0 R >> >> >>" % (100_000 + i) for i in range(pages)]
    return _pdf(objects)
