"""``tracuu audit DIR``: what the parser reads in a folder of documents, with no labels.

Every file is parsed (``ingest.pipeline.parse_bytes``; no index, no embedding) and counted,
per document kind and overall:

- identity: the share of documents whose number, issuer, date and type were read; a number
  the copy leaves blank counts as read when it is said so ("chưa ghi số");
- pages that are not documents (a news article or an encyclopaedia page saved with the
  documents): counted apart, not as documents whose identity was missed;
- with a manifest (``manifest.jsonl`` beside the files, or given: one JSON object a line with
  ``file`` and ``number_hint``): how many numbers read agree with the hint, and which differ;
- assignment items: clauses that hand out tasks (the children of a "Tổ chức thực hiện",
  "Phân công", "Trách nhiệm" heading, and clauses headed by a body's name) whose tasks
  name a specific body, not only a collective one ("các sở, ngành");
- task-table rows: rows of a table with a column of bodies ("Cơ quan chủ trì", "Đơn vị
  thực hiện") that have a responsible body (a role of ``ingest.assign.RESPONSIBLE``);
- suspicious body names, by reason, with a few examples each: a name that ends in a time
  word, a unit or a verb; a bare head noun ("Sở"); over 12 words; a collective term as
  the lead;
- parse failures (the message a user would see) and seconds per document.

Pure apart from reading the folder: ``audit_dir`` returns an ``Audit``; ``render`` and
``Audit.to_dict`` print it.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.assign import RESPONSIBLE
from ingest.body_vocab import single_heads
from ingest.errors import IngestError
from ingest.identity import is_document
from ingest.models import Document
from ingest.normalize import fold, normalize, number_key
from ingest.pipeline import parse_bytes
from ingest.readers import SUPPORTED

UNKNOWN_KIND = "(không rõ loại)"
EXAMPLES = 3
_ASSIGNING = re.compile(r"to chuc thuc hien|phan cong|trach nhiem|nhiem vu cu the|giao nhiem vu")
_BODY_COLUMN = re.compile(r"chu tri|thuc hien|co quan|don vi|phu trach|dau moi")
_LEADS = ("chủ trì", "đầu mối")
# Words a body's name never ends with; a name that does was cut in the wrong place.
_TIME = re.compile(r"(?:\b(?:năm|tháng|quý|tuần|ngày|hằng năm|hàng năm|định kỳ|thường xuyên|trước|sau)|\d{4})$")
_UNIT = re.compile(r"(?:\b(?:đồng|tỷ|triệu|ha|km|m2|m3|người|lượt|tấn|hộ)|%)$")
_VERB = re.compile(r"\b(?:thực hiện|triển khai|chủ trì|phối hợp|tham mưu|báo cáo|xây dựng|hướng dẫn|kiểm tra|đề xuất"
                   r"|ban hành|trình|chỉ đạo|theo dõi|đôn đốc|tổng hợp|rà soát|bảo đảm|đảm bảo|tăng cường|có)$")
REASONS = {
    "time": "kết thúc bằng từ chỉ thời gian",
    "unit": "kết thúc bằng đơn vị đo",
    "verb": "kết thúc bằng động từ",
    "bare": "chỉ có danh từ đầu (\"Sở\", \"Bộ\")",
    "long": "dài quá 12 từ",
    "collective": "tên chung (\"các sở, ngành\") làm chủ trì",
}


@dataclass
class DocAudit:
    """What was read in one file."""

    file: str
    kind: str = UNKNOWN_KIND
    document: bool = True  # False for a news article or an encyclopaedia page: no identity to read
    number: bool = False
    blank_number: bool = False  # the copy leaves its number blank ("Số:      /KH-UBND"), said "chưa ghi số"
    number_read: str | None = None
    hint: str | None = None  # the manifest's number_hint, when there is one
    issuer: bool = False
    date: bool = False
    type: bool = False
    items: int = 0  # assignment items
    items_with_body: int = 0
    rows: int = 0  # task-table rows
    rows_with_lead: int = 0
    suspicious: list[tuple[str, str]] = field(default_factory=list)  # (reason, name)
    seconds: float = 0.0
    error: str | None = None


@dataclass
class Audit:
    docs: list[DocAudit]

    def groups(self) -> dict[str, list[DocAudit]]:
        """Parsed documents by kind (most numerous first), then "Tổng" (all of them); pages that are
        not documents are left out (``not_documents``)."""
        by_kind: dict[str, list[DocAudit]] = defaultdict(list)
        for d in self.documents():
            by_kind[d.kind].append(d)
        ordered = dict(sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])))
        return {**ordered, "Tổng": self.documents()}

    def documents(self) -> list[DocAudit]:
        return [d for d in self.docs if d.error is None and d.document]

    def not_documents(self) -> list[DocAudit]:
        return [d for d in self.docs if d.error is None and not d.document]

    def failures(self) -> list[DocAudit]:
        return [d for d in self.docs if d.error is not None]

    def hints(self) -> tuple[int, int, list[DocAudit]]:
        """(documents with a hint, numbers read that agree with it, the documents that do not agree)."""
        hinted = [d for d in self.documents() if d.hint]
        differ = [d for d in hinted if not _same_number(d.number_read, d.hint)]
        return len(hinted), len(hinted) - len(differ), differ

    def suspicious(self) -> dict[str, tuple[int, list[str]]]:
        """Reason -> (how many names, a few "name (file)" examples)."""
        out: dict[str, tuple[int, list[str]]] = {}
        for reason in REASONS:
            found = [f"{name} ({d.file})" for d in self.docs for r, name in d.suspicious if r == reason]
            if found:
                out[reason] = (len(found), found[:EXAMPLES])
        return out

    def to_dict(self) -> dict:
        hinted, agree, differ = self.hints()
        return {
            "documents": len(self.docs),
            "not_documents": [d.file for d in self.not_documents()],
            "blank_numbers": sum(d.blank_number for d in self.documents()),
            "number_hints": {"hinted": hinted, "agree": agree, "share": share(agree, hinted),
                             "differ": [{"file": d.file, "read": d.number_read, "hint": d.hint} for d in differ]},
            "by_kind": {kind: figures(docs) for kind, docs in self.groups().items()},
            "suspicious": {r: {"reason": REASONS[r], "count": n, "examples": ex}
                           for r, (n, ex) in self.suspicious().items()},
            "failures": [{"file": d.file, "error": d.error} for d in self.failures()],
            "files": [asdict(d) for d in self.docs],
        }


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def figures(docs: list[DocAudit]) -> dict:
    """The shares a reader of the audit looks at, for one group of documents."""
    n = len(docs)
    items, rows = sum(d.items for d in docs), sum(d.rows for d in docs)
    return {
        "documents": n,
        **{what: share(sum(getattr(d, what) for d in docs), n) for what in ("number", "issuer", "date", "type")},
        "items": items, "items_with_body": share(sum(d.items_with_body for d in docs), items),
        "rows": rows, "rows_with_lead": share(sum(d.rows_with_lead for d in docs), rows),
        "seconds_per_document": round(sum(d.seconds for d in docs) / n, 3) if n else None,
    }


def _same_number(read: str | None, hint: str) -> bool:
    """A number read against a manifest's hint, spaces aside ("7432 /UBND-XD" is "7432/UBND-XD").

    >>> _same_number("7432/UBND-XD", "7432 /UBND-XD"), _same_number("3783/QĐ", "3783/QĐ-UBND"), _same_number(None, "1/KH")
    (True, False, False)
    """
    return read is not None and number_key(read) == number_key(hint)


def hints_of(manifest: Path | None) -> dict[str, str]:
    """File name → number hint, from a manifest (one JSON object a line); {} without one."""
    if manifest is None or not manifest.is_file():
        return {}
    rows = (json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["file"]: r["number_hint"] for r in rows if r.get("file") and r.get("number_hint")}


def audit_file(path: Path, hint: str | None = None) -> DocAudit:
    """Parse one file and count what was read; a file that does not parse records its error."""
    out = DocAudit(path.name, hint=hint)
    began = time.perf_counter()
    try:
        doc = parse_bytes(path.read_bytes(), path.name)
    except (IngestError, OSError) as e:
        out.error = str(e)
    else:
        _count(doc, out)
    out.seconds = time.perf_counter() - began
    return out


def audit_dir(folder: Path, manifest: Path | None = None) -> Audit:
    """Every readable file directly in ``folder`` (sorted by name); the number hints of ``manifest``
    (default: ``manifest.jsonl`` in the folder, if there is one)."""
    hints = hints_of(manifest or Path(folder) / "manifest.jsonl")
    paths = sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED)
    return Audit([audit_file(p, hints.get(p.name)) for p in paths])


def _count(doc: Document, out: DocAudit) -> None:
    h = doc.header
    out.document = is_document(h, normalize(doc.source).text)
    out.kind = h.doc_type or UNKNOWN_KIND
    out.number, out.issuer, out.date, out.type = bool(h.number), bool(h.issuer), bool(h.date), bool(h.doc_type)
    out.blank_number = bool(h.number) and not h.number_known
    out.number_read = h.number
    by_clause: dict[str, list] = defaultdict(list)
    for a in doc.assignments:
        by_clause[a.clause_id].append(a)
    below = _below(doc)
    named = [a for a in doc.assignments if a.source == "heading" and a.start >= 0]
    headed = {c.id for c in doc.clauses if c.heading and c.kind != "row"
              and any(c.start <= a.start < c.start + len(c.heading) + 12 for a in named)}  # 12: "III.8. " and markup
    assigning = {c.id for c in doc.clauses if _ASSIGNING.search(fold(c.heading))}
    for c in doc.clauses:
        if c.kind == "row":
            if c.cells and any(_BODY_COLUMN.search(fold(k)) for k in c.cells):
                out.rows += 1
                out.rows_with_lead += any(a.role in RESPONSIBLE for a in by_clause[c.id])
            continue
        if c.parent in assigning or c.id in headed:
            out.items += 1
            out.items_with_body += any(not a.group for i in below[c.id] for a in by_clause[i])
    seen = set()
    for a in doc.assignments:
        for reason in _suspicious(a.agency, a.group, a.role):
            if (reason, a.agency) not in seen:
                seen.add((reason, a.agency))
                out.suspicious.append((reason, a.agency))


def _below(doc: Document) -> dict[str, list[str]]:
    """Clause id -> its id and the ids of every clause under it."""
    by_id = {c.id: c for c in doc.clauses}
    out: dict[str, list[str]] = {}
    for c in reversed(doc.clauses):  # pre-order reversed: children before their parent
        out[c.id] = [c.id] + [i for child in c.children if child in out for i in out[child]]
    return {i: out.get(i, [i]) for i in by_id}


def _suspicious(name: str, group: bool, role: str) -> list[str]:
    """The reasons a body's name looks wrong (``REASONS``).

    >>> _suspicious("Sở Tài chính trong năm", False, "chủ trì"), _suspicious("Sở", False, "chủ trì")
    (['time'], ['bare'])
    >>> _suspicious("các sở, ngành", True, "chủ trì"), _suspicious("Sở Xây dựng", False, "phối hợp")
    (['collective'], [])
    >>> _suspicious("Sở Tài chính xây dựng", False, "chủ trì"), _suspicious("Sở Xây dựng Lâm Đồng", False, "chủ trì")
    (['verb'], [])
    """
    text = " ".join(name.split()).rstrip(" .,;:")
    # case-sensitive: a name writes its own words with a capital ("Sở Xây dựng", "Ban Chỉ đạo")
    reasons = [r for r, pattern in (("time", _TIME), ("unit", _UNIT), ("verb", _VERB)) if pattern.search(text)]
    if text in single_heads() or text.lower() in ("ủy ban", "uỷ ban", "cơ quan", "đơn vị", "ngành", "phòng", "ban"):
        reasons.append("bare")
    if len(text.split()) > 12:
        reasons.append("long")
    if group and role in _LEADS:
        reasons.append("collective")
    return reasons


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f} %"


def render(audit: Audit) -> str:
    """The audit as a reader sees it on a terminal."""
    others = audit.not_documents()
    lines = [f"Kiểm tra {len(audit.docs)} tệp (đọc được {len(audit.docs) - len(audit.failures())}, "
             f"lỗi {len(audit.failures())}).", "",
             f"{'Loại văn bản':28} {'số':>4} {'Số hiệu':>8} {'Cơ quan':>8} {'Ngày':>6} {'Loại':>6} "
             f"{'Mục giao việc có cơ quan':>26} {'Dòng bảng có chủ trì':>22} {'giây/vb':>8}"]
    for kind, docs in audit.groups().items():
        f = figures(docs)
        lines.append(f"{kind[:28]:28} {f['documents']:>4} {_pct(f['number']):>8} {_pct(f['issuer']):>8} "
                     f"{_pct(f['date']):>6} {_pct(f['type']):>6} "
                     f"{_pct(f['items_with_body']) + ' / ' + str(f['items']):>26} "
                     f"{_pct(f['rows_with_lead']) + ' / ' + str(f['rows']):>22} "
                     f"{f['seconds_per_document'] if f['seconds_per_document'] is not None else '—':>8}")
    blank = sum(d.blank_number for d in audit.documents())
    lines += ["", f"Số hiệu để trống trong bản sao (ghi \"chưa ghi số\", tính là đã đọc): {blank}"]
    if others:
        lines += [f"Không phải văn bản (bài báo, trang tra cứu; không tính vào các tỷ lệ trên): {len(others)} tệp"]
        lines += [f"    - {d.file}" for d in others[:EXAMPLES]]
    hinted, agree, differ = audit.hints()
    if hinted:
        lines += [f"Số hiệu khớp gợi ý của manifest: {agree}/{hinted} ({_pct(share(agree, hinted))})"]
        lines += [f"    - {d.file}: đọc {d.number_read or '(không có)'}, gợi ý {d.hint}" for d in differ[:10]]
    suspicious = audit.suspicious()
    lines += ["", "Tên cơ quan đáng ngờ:" if suspicious else "Không có tên cơ quan đáng ngờ."]
    for reason, (n, examples) in suspicious.items():
        lines.append(f"  {REASONS[reason]}: {n}")
        lines += [f"    - {e}" for e in examples]
    if audit.failures():
        lines += ["", "Tệp không đọc được:"] + [f"  - {d.error}" for d in audit.failures()]
    return "\n".join(lines)
