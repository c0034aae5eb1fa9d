"""Every sentence an answer shows, in Vietnamese, in one place.

The answer modules decide what to say (which agency, which role, which clause); the words
are here, so wording is reviewed and changed in one file.

>>> who_said("Sở Tài chính", "", ["chủ trì", "tham mưu"], [("Sở Y tế", "phối hợp")], [], "Căn cứ: KH 1, Mục III.")
'Sở Tài chính — vai trò: chủ trì, tham mưu; cùng: Sở Y tế (phối hợp). Căn cứ: KH 1, Mục III.'
>>> vn_date("2023-07-05"), vn_date("2024-04")
('05/07/2023', '04/2024')
"""

from __future__ import annotations

NO_CLAUSE = "Không tìm thấy điều khoản nào trong các văn bản đã nạp trả lời được câu hỏi này."
NEAREST = " Các điều khoản gần nhất:"


def vn_date(iso: str) -> str:
    """"2023-07-05" → "05/07/2023", "2024-04" → "04/2024"."""
    return "/".join(reversed(iso.split("-")))


def grounds(doc_name: str, label: str) -> str:
    return f"Căn cứ: {doc_name}, {label}."


def most_relevant(doc_name: str, label: str, heading: str = "") -> str:
    return f"Nội dung liên quan nhất: {doc_name}, {label}" + (f" ({heading})." if heading else ".")


def who_said(name: str, now_called: str, roles: list[str], others: list[tuple[str, str]], deadlines: list[str],
             where: str) -> str:
    """"Sở Tài chính — vai trò: chủ trì; cùng: Sở Y tế (phối hợp). Thời hạn: …. Căn cứ: …"."""
    text = f"{name}{now_called} — vai trò: {', '.join(roles)}"
    if others:
        text += f"; cùng: {', '.join(f'{n} ({r})' for n, r in others)}"
    if deadlines:
        text += f". Thời hạn: {'; '.join(deadlines)}"
    return f"{text}. {where}"


def also_in(entries: list[tuple[str, str, str, str]]) -> str:
    """The same task in other loaded documents: (agency, role, document, label) each."""
    parts = [f"{doc}, {label}: {name} ({role})" for name, role, doc, label in entries]
    return " Cùng nhiệm vụ trong văn bản khác — " + "; ".join(parts) + "."


def now_is(names: list[str], source: str) -> str:
    return f" (nay là {', '.join(names)}, theo {source})"


def now_maybe(names: list[str], source: str) -> str:
    return f" (nay có thể thuộc {', '.join(names)} tùy lĩnh vực, theo {source})"


def task_count(agency: str, total: int, counts: list[tuple[str, int]]) -> str:
    listed = ", ".join(f"{n} nhiệm vụ {role}" for role, n in counts)
    return f"{agency} có {total} nhiệm vụ theo các văn bản đã nạp: {listed}."


def no_tasks(agency: str) -> str:
    return f"Không thấy nhiệm vụ nào giao cho {agency} trong các văn bản đã nạp."


def inherited_full(old: str, target: str, date: str | None, source: str) -> str:
    return f"Gồm nhiệm vụ giao cho {old} (nay thuộc {target} từ {date}, theo {source})."


def inherited_part(old: str, target: str, note: str, source: str) -> str:
    return f"Gồm nhiệm vụ giao cho {old}, có thể thuộc {target} — phần: {note} (theo {source})."


def issued_by(doc_type: str | None, number: str, issuer: str, date: str | None, loaded: bool) -> str:
    text = f"{doc_type or 'Văn bản'} số {number} do {issuer} ban hành"
    text += f" ngày {vn_date(date)}." if date else "."
    return text if loaded else text + " (Theo danh mục văn bản; toàn văn chưa được nạp.)"


def not_loaded(doc_type: str | None, number: str, issuer: str, date: str | None, citing: int) -> str:
    text = (f"Toàn văn {doc_type or 'văn bản'} số {number} ({issuer}, {date}) chưa được nạp vào hệ thống, "
            f"nên chưa thể trả lời từ chính văn bản đó.")
    return text + (f" Có {citing} chỗ trong các văn bản đã nạp dẫn chiếu văn bản này." if citing else "")


def not_loaded_then(doc_type: str | None, number: str) -> str:
    """Before an answer from the loaded documents that implement a document we lack."""
    return (f"Toàn văn {doc_type or 'văn bản'} số {number} chưa được nạp vào hệ thống; "
            f"trả lời theo các văn bản đã nạp triển khai văn bản này. ")


def nearest(why: str | None, any_hits: bool) -> str:
    return (why or NO_CLAUSE) + (NEAREST if any_hits else "")


def doing(agencies: list[str]) -> str:
    return f" Cơ quan thực hiện: {', '.join(agencies)}."


def replaced(name: str, by: str) -> str:
    """A cited document that a loaded one replaces (or repeals)."""
    return f"Lưu ý: {name} đã được thay thế bởi {by}; nội dung trích dẫn có thể không còn hiệu lực."


def amended(name: str, by: list[str]) -> str:
    """A cited document that loaded ones amend."""
    return f"Lưu ý: {name} đã được sửa đổi, bổ sung bởi {', '.join(by)}."
