"""Fit for official work, in process: the citation an officer writes in a reply, a calendar
that holds every dated duty, agency pages with each task once, exports set up for a meeting,
and pages without words meant for developers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from index.answers.citation import copy_text, official
from ingest.deadlines import deadlines
from ingest.pipeline import parse_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLAN = "Kế hoạch số …/KH-UBND ngày … tháng 4 năm 2024 của UBND tỉnh Bình Thuận"
# Words of the program, not of the staff who read the pages.
INTERNAL = ["BadZipFile", "Thế hệ chỉ mục mới", "Tính vector mới", "Dùng lại vector", "Dữ liệu JSON",
            "TRACUU_ADMIN_TOKEN", "tracuu ingest", "Ngày ghi là ngày ký", "chưa đối chiếu", "xem mục kế tiếp",
            "mục trước)"]


def parsed(name: str):
    return parse_bytes((FIXTURES / name).read_bytes(), name)


def visible(html: str) -> str:
    """The text a reader sees: no tags, attributes, scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- citations ------------------------------------------------------------------------------------


def test_citations_read_as_officers_write_them():
    law = parsed("fixture-nghi-dinh-mau.txt")
    clause = law.clause("Điều 1.3")
    assert official(law, clause) == "khoản 3 Điều 1 Nghị định số 99/2099/NĐ-CP ngày 01/02/2099 của Chính phủ"
    article = next(c for c in law.clauses if c.kind == "article" and c.parent)  # under a chapter's Mục: the Điều alone
    assert official(law, article).startswith(f"{article.label} Nghị định số 99/2099/NĐ-CP")
    plan = parsed("fixture-chuong-trinh-tinh-uy-mau.txt")
    point = next(c for c in plan.clauses if c.kind == "point")
    item, section = point.path.split(".")[1], point.path.split(".")[0]
    assert official(plan, point).startswith(f"điểm {point.path.rsplit('.', 1)[1]} khoản {item} Mục {section} "
                                            "Chương trình hành động số 99-CTr/TU ngày 02/03/2099 của Tỉnh ủy")
    bullet = next(c for c in plan.clauses if c.kind == "bullet")
    assert official(plan, bullet).startswith("gạch đầu dòng thứ 1 khoản ")


def test_a_table_row_is_cited_and_copied_cell_by_cell():
    doc = parsed("fixture-ke-hoach-bang-nhiem-vu.docx")
    row = next(c for c in doc.clauses if c.kind == "row")
    citation = official(doc, row)
    assert citation.startswith("dòng 1 Bảng 1 ") and "Kế hoạch số 12/KH-UBND ngày 05/03/2025 của UBND tỉnh Mẫu" in citation
    copied = copy_text(citation, row, row.text)
    assert copied.startswith(citation + ": “") and " | Số hóa tài liệu lưu trữ dùng chung | Sở Nội vụ | " in copied


def test_a_blank_number_stays_blank_never_an_id():
    doc = parsed("fixture-chuong-trinh-tinh-uy-mau.txt")
    doc.header.number, doc.header.doc_type = None, "Kế hoạch"
    text = official(doc, doc.clauses[1])
    assert "(chưa ghi số)" in text and doc.id not in text


def test_the_answer_the_copy_button_and_the_reader_carry_the_official_citation(client):
    top = client.get("/api/ask", params={"q": "Sở nào bố trí kinh phí?"}).json()["citations"][0]
    assert top["citation"] == f"khoản 8 Mục III {PLAN}"
    html = client.get("/", params={"q": "Sở nào bố trí kinh phí?"}).text
    copy = re.search(r'<article class="card answer.*?data-copy="([^"]*)"', html, re.S).group(1)
    assert copy.startswith(f"khoản 8 Mục III {PLAN}: “8. Sở Tài chính Chủ trì phối hợp")
    reader = client.get("/documents/kh-ubnd-2024-cnsh").text
    assert f'data-copy="khoản 8 Mục III {PLAN}: “8. Sở Tài chính' in reader
    assert f"gạch đầu dòng thứ 1 khoản 1 Mục III {PLAN}" in reader


# --- the calendar ---------------------------------------------------------------------------------


def test_every_dated_or_periodic_phrase_becomes_an_event():
    from index.answers.calendar import periodic, when

    text = ("báo cáo trước ngày 15/12 hằng năm; tổng hợp vào tháng 12 hàng năm; gửi trước ngày 20 hằng tháng; "
            "hoàn thành trong quý IV/2026; định kỳ 6 tháng sơ kết; xong trước ngày 30/6/2025")
    found = [d.to_dict() for d in deadlines(text)] + periodic(text)
    rules = {d["text"]: when(d, 2024) for d in found}
    assert rules["trước ngày 15/12 hằng năm"].start.isoformat() == "2024-12-15"
    assert rules["trước ngày 15/12 hằng năm"].rrule == {"freq": "yearly"}
    assert rules["tháng 12 hàng năm"].rrule == {"freq": "yearly"}
    assert rules["trước ngày 20 hằng tháng"].rrule == {"freq": "monthly", "bymonthday": 20}
    assert rules["quý IV/2026"].start.isoformat() == "2026-12-31" and rules["quý IV/2026"].rrule is None
    assert rules["định kỳ 6 tháng"].rrule["interval"] == 6
    assert rules["trước ngày 30/6/2025"].start.isoformat() == "2025-06-30"


@pytest.mark.parametrize("due", ["2025-02-29", "2025-06-31"])
def test_a_date_that_cannot_exist_is_skipped(due):
    from index.answers.calendar import when

    assert when({"text": due, "due": due}, 2025) is None
    assert when({"text": "ngày 31/6 hằng năm", "every": "year", "month": 6, "day": 31}, 2025) is None


def test_an_impossible_date_in_the_plan_does_not_break_the_calendar(client, monkeypatch):
    import index.answers.calendar as cal

    before = client.get("/api/agencies/so-khcn.ics")
    real = cal.duties
    monkeypatch.setattr(cal, "duties", lambda task: [{"text": "trước ngày 29/02/2025", "due": "2025-02-29"},
                                                     {"text": "ngày 31/6/2025", "due": "2025-06-31"}, *real(task)])
    after = client.get("/api/agencies/so-khcn.ics")
    assert after.status_code == 200 and after.text.count("BEGIN:VEVENT") == before.text.count("BEGIN:VEVENT") > 0


def test_every_agency_with_a_dated_duty_has_its_events(client, plan_engine):
    from icalendar import Calendar

    from index.answers.calendar import duties
    from index.answers.digest import agency_list

    dated = {d.agency_id: d for d in agency_list(plan_engine) if any(duties(t) for t in d.tasks)}
    assert {"so-khcn", "so-nn-mt", "ubnd-tinh"} <= set(dated)  # the plan's yearly duties and the report it receives
    for agency_id in dated:
        r = client.get(f"/api/agencies/{agency_id}.ics")
        events = list(Calendar.from_ical(r.content).walk("VEVENT"))
        assert events, agency_id
        for e in events:
            summary = str(e["summary"])
            assert not summary.endswith((" ", ",")) and len(summary) <= 200
            if summary.endswith("…"):
                last = summary[:-1].split()[-1]
                assert re.search(rf"\b{re.escape(last)}\b", str(e["description"])), summary
            assert "Căn cứ: " in str(e["description"]) and "Kế hoạch số …/KH-UBND" in str(e["description"])
            assert str(e["url"]).endswith(tuple(f"#{t.url_path}" for t in dated[agency_id].tasks))
            (alarm,) = e.walk("VALARM")
            assert alarm.decoded("trigger").days < 0
    ks = [str(e["summary"]) for e in Calendar.from_ical(client.get("/api/agencies/so-khcn.ics").content).walk("VEVENT")]
    assert "Định kỳ tổng hợp, báo cáo UBND tỉnh kết quả thực hiện vào tháng 12 hàng năm" in ks


def test_an_agency_with_nothing_dated_is_told_so(client):
    html = client.get("/agencies/so-tai-chinh").text
    assert 'data-testid="khong-co-thoi-han"' in html and ".ics" not in html
    assert ".ics" in client.get("/agencies/so-khcn").text


# --- agency pages ---------------------------------------------------------------------------------


def task_refs(html: str) -> list[str]:
    return re.findall(r'<a class="task-ref" href="([^"]+)"', html)


def test_each_task_is_listed_once_with_its_roles_merged(client):
    html = client.get("/agencies/ubnd-cac-xa").text
    refs = task_refs(html)
    assert len(refs) == len(set(refs)) == 4
    html = client.get("/agencies/so-khcn").text
    refs = task_refs(html)
    assert len(refs) == len(set(refs)) and refs.count("/documents/kh-ubnd-2024-cnsh#III.11") == 1
    task = client.get("/api/agencies/so-khcn").json()
    (t11,) = [t for g in task["roles"] for t in g["tasks"] if t["section"] == "III.11"]
    assert {"thực hiện", "phối hợp"} <= set(t11["roles"])


def test_the_succession_is_told_once_with_its_source_by_number(client):
    html = client.get("/agencies/ubnd-cac-xa").text
    text = visible(html)
    assert html.count("succession-box") == 1 and text.count("Gồm nhiệm vụ văn bản giao cho") == 1
    assert "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội" in text
    html = client.get("/agencies/so-nn-mt").text
    assert visible(html).count("Nghị định số 45/2025/NĐ-CP") == 2  # one line per predecessor, in the one box
    assert "“Sở Nông nghiệp và Phát triển nông thôn”" in html and "Giao cho: Sở Tài nguyên và Môi trường" in html
    gone = visible(client.get("/agencies/so-nnptnt").text)
    assert "không còn" in gone and "Sở Nông nghiệp và Môi trường" in gone and "28/02/2025" in gone


# --- exports --------------------------------------------------------------------------------------


def test_the_workbook_is_set_up_for_a_meeting(client):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(client.get("/api/export.xlsx").content)).active
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    rows = list(ws.iter_rows(values_only=True))
    head, body = rows[0], rows[1:]
    now, doc, cite, task = (head.index(c) for c in ("Cơ quan hiện nay", "Văn bản", "Trích dẫn", "Nhiệm vụ"))
    assert body and not [r for r in body if not r[now]]
    assert {r[doc] for r in body} == {"Kế hoạch triển khai Chương trình 64-CTr/TU"}
    assert all(r[cite].endswith(PLAN) for r in body)
    assert len(set(body)) == len(body)
    assert not [r for r in body if r[task].startswith(("- ", "+ ", "• "))]


def test_csv_tasks_lose_their_bullet_and_only_formulas_are_guarded(client):
    rows = list(csv.reader(io.StringIO(client.get("/api/export.csv").content.decode("utf-8-sig"))))
    task = rows[0].index("Nhiệm vụ")
    tasks = [r[task] for r in rows[1:]]
    assert "Chủ trì phối hợp với các cơ quan, đơn vị có liên quan căn cứ khả năng cân đối" in " ".join(tasks)
    assert not [t for t in tasks if t.startswith(("'", "-"))]
    from index.answers.export import csv_cell

    assert csv_cell("-5% kinh phí") == "'-5% kinh phí" and csv_cell("Sở Y tế") == "Sở Y tế"


# --- words a user should never see ----------------------------------------------------------------


PAGES = ["/", "/?q=Sở nào bố trí kinh phí?", "/?q=Sở Nông nghiệp và Môi trường phải làm gì?", "/agencies", "/agencies/so-nn-mt", "/agencies/ubnd-cac-xa",
         "/documents", "/documents/kh-ubnd-2024-cnsh", "/documents/nq-36-tw-2023", "/admin/upload",
         "/documents/kh-ubnd-2024-cnsh/coverage"]


@pytest.mark.parametrize("path", PAGES)
def test_no_internal_words_and_dates_read_dd_mm_yyyy(client, path):
    text = visible(client.get(path).text)
    assert not [w for w in INTERNAL if w in text], path
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), re.search(r".{40}\b\d{4}-\d{2}-\d{2}\b.{10}", text)
    assert not re.search(r"\bid\b|\bMã\s(?!quản trị)", text)  # ids are for the program; "mã quản trị" is the admin's


def test_the_disabled_upload_page_speaks_to_staff(module_app_factory):
    c = module_app_factory(admin_token=None)
    text = visible(c.get("/admin/upload").text)
    assert "đang tắt" in text and "quản trị viên" in text
    assert not [w for w in INTERNAL if w in text]


def test_an_error_page_hides_the_exception_name():
    from service.web import plain_message

    assert plain_message("Tệp .docx bị hỏng hoặc không phải .docx (BadZipFile).") == "Tệp .docx bị hỏng hoặc không phải .docx."


def test_an_answer_about_an_agency_that_no_longer_exists_says_who_holds_its_tasks(client):
    html = client.get("/", params={"q": "Sở Nông nghiệp phải làm gì?"}).text
    notes = re.search(r'<ul class="answer-notes".*?</ul>', html, re.S)
    assert notes and "Sở Nông nghiệp và Phát triển nông thôn không còn: nay là Sở Nông nghiệp và Môi trường" in notes.group()
    assert 'nay là <a href="/agencies/so-nn-mt">' in html
