"""The coverage report (API, XLSX, page) and the records officer's upload form, in process
through an ASGI client over the app (``conftest``), and both in a real browser over a real
``tracuu serve``.

- Over the shared index: the plan's coverage (tasks II.2–II.5 without a lead agency; the
  three higher documents listed as not loaded, since only the plan's text is here).
- Over a private copy whose catalog knows an invented resolution ``nq-mau-99`` (99-NQ/TW)
  that the plan implements: uploading the fixture file of that number gives it that id,
  the plan's items II.1–II.5 align with its clauses (tests/fixtures/fixture-alignment-
  labels.yaml), and its clause III.6, which nothing implements, shows as uncovered.
- In chromium: token → file → preview (outline) → confirm → report → the new document;
  a corrupt file shows the API's Vietnamese message and adds nothing.
Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from conftest import guarded_page, shot

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PLAN_ID = "kh-ubnd-2024-cnsh"
CATALOG_ONLY = ["ctr-64-tu-2023", "nq-189-cp-2023", "nq-36-tw-2023"]
SHEETS = ["Chưa được thực hiện", "Chưa giao cơ quan", "Chưa có thời hạn", "Chưa có báo cáo"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESOLUTION_FILE = "fixture-nghi-quyet-bo-chinh-tri-mau.txt"
RESOLUTION = {"id": "nq-mau-99", "type": "Nghị quyết", "number": "99-NQ/TW", "file": None,
              "issuer": "Bộ Chính trị (mẫu kiểm thử)", "date": "2099-01-01"}


@pytest.fixture
def web(client):
    return client


def get_html(client, path: str, status: int = 200) -> str:
    r = client.get(path)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def section(html: str, anchor: str) -> str:
    """The HTML of ``<section id="anchor">`` (the coverage page's findings are one section each)."""
    m = re.search(rf'<section id="{anchor}".*?</section>', html, re.DOTALL)
    assert m, f"no section #{anchor}"
    return m.group()


def upload(client, path: str, file: Path, token: str):
    return client.post(path, files={"file": (file.name, file.read_bytes())},
                       headers={"Authorization": f"Bearer {token}"})


# --- coverage over the shared index ---------------------------------------------------------


def test_coverage_api(web):
    r = web.get("/api/coverage", params={"doc": PLAN_ID})
    assert r.status_code == 200
    body = r.json()
    assert body["doc_id"] == PLAN_ID and body["loaded"] is True
    assert [t["section"] for t in body["tasks_without_agency"]] == ["II.2", "II.3", "II.4", "II.5"]
    assert body["higher"] == [] and body["uncovered"] == []  # no higher text loaded: nothing to compare
    assert [d["id"] for d in body["not_loaded"]] == CATALOG_ONLY
    assert {d["relation"] for d in body["not_loaded"]} == {"implements", "cites"}
    assert "Sở Tài chính" in body["agencies_without_reporting"]
    assert f"{PLAN_ID}#III.8" in body["items_without_deadline"]

    r = web.get("/api/coverage", params={"doc": "khong-co"})
    assert r.status_code == 404 and "khong-co" in r.json()["detail"]
    assert web.get("/api/coverage").status_code == 422
    catalog_only = web.get("/api/coverage", params={"doc": "nq-36-tw-2023"}).json()
    assert catalog_only["loaded"] is False and catalog_only["tasks_without_agency"] == []


def test_coverage_xlsx(web):
    from openpyxl import load_workbook

    r = web.get("/api/coverage.xlsx", params={"doc": PLAN_ID})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.isascii()
    assert f'filename="bao-cao-bao-phu-{PLAN_ID}.xlsx"' in disposition
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded).startswith("Báo cáo mức độ bao phủ") and unquote(encoded).endswith(".xlsx")
    assert "/" not in unquote(encoded)  # "64-CTr/TU" must not turn into a folder

    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == SHEETS
    no_agency = [row[0] for row in wb["Chưa giao cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert no_agency == ["Mục II, điểm 2", "Mục II, điểm 3", "Mục II, điểm 4", "Mục II, điểm 5"]
    assert web.get("/api/coverage.xlsx", params={"doc": "khong-co"}).status_code == 404


def test_coverage_page(web):
    html = get_html(web, f"/documents/{PLAN_ID}/coverage")
    assert "Báo cáo mức độ bao phủ" in html and '<html lang="vi">' in html
    assert f'href="/api/coverage.xlsx?doc={PLAN_ID}"' in html
    no_agency = section(html, "chua-giao")
    for path in ("II.2", "II.3", "II.4", "II.5"):
        assert f'href="/documents/{PLAN_ID}#{path}"' in no_agency
    assert '#II.1"' not in no_agency
    higher = section(html, "cap-tren")
    assert "chưa có toàn văn" in higher.lower()
    for doc_id in CATALOG_ONLY:
        assert f'href="/documents/{doc_id}"' in higher
    assert 'href="/agencies/so-tai-chinh"' in section(html, "bao-cao")
    assert f'href="/documents/{PLAN_ID}#III.8"' in section(html, "thoi-han")
    assert "<script>" not in html

    assert "chưa có toàn văn" in get_html(web, "/documents/nq-36-tw-2023/coverage")
    assert "khong-co" in get_html(web, "/documents/khong-co/coverage", 404)


def test_reader_links_to_its_coverage_report(web):
    assert f'href="/documents/{PLAN_ID}/coverage"' in get_html(web, f"/documents/{PLAN_ID}")
    assert "/coverage" not in get_html(web, "/documents/nq-36-tw-2023")  # no text, no report link


# --- the upload page ------------------------------------------------------------------------


def test_upload_page(web):
    html = get_html(web, "/admin/upload")
    assert "Nạp văn bản" in html
    token = re.search(r"<input id=\"admin-token\"[^>]*>", html).group()
    assert 'type="password"' in token and "name=" not in token and "value=" not in token  # never sent in a form
    assert re.search(r'<input id="upload-file" type="file" accept="\.txt,\.md,\.docx,\.pdf"', html)
    assert '<script src="/static/upload.js" defer></script>' in html and "<script>" not in html
    assert 'href="/admin/upload"' in get_html(web, "/")  # linked from the footer
    js = web.get("/static/upload.js").text
    assert "sessionStorage" in js and "innerHTML" not in js and "document.cookie" not in js and "localStorage" not in js
    assert "http" not in js  # the script talks to this server only


def test_upload_page_says_uploads_are_off_without_a_token(index_copy, app_factory):
    html = get_html(app_factory(index_copy("no-token", admin_token=None)), "/admin/upload")
    assert "đang tắt" in html and "upload-form" not in html and "upload.js" not in html


# --- an uploaded higher document: alignment and coverage ------------------------------------


def _catalog_with_resolution(corpus_dir: Path) -> None:
    """The copied corpus's catalog, plus the invented resolution the plan is said to implement."""
    path = corpus_dir / "catalog.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["documents"].append(dict(RESOLUTION))
    plan = next(d for d in data["documents"] if d["id"] == PLAN_ID)
    plan["implements"] = [*plan["implements"], RESOLUTION["id"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _expected_pairs() -> dict[str, str]:
    labels = yaml.safe_load((FIXTURES / "fixture-alignment-labels.yaml").read_text(encoding="utf-8"))
    return {p["plan"]: p["clause"] for p in labels["pairs"] if p["doc"] == Path(RESOLUTION_FILE).stem}


def test_uploaded_resolution_is_aligned_and_its_gaps_reported(index_copy, app_factory, admin_token):
    settings = index_copy("resolution")
    _catalog_with_resolution(settings.corpus_dir)
    c = app_factory(settings)
    # The catalog was edited after the index was built: the index serves the copy it was built with,
    # and the preview reads the file as the next build will.
    before = c.get("/api/coverage", params={"doc": PLAN_ID}).json()
    assert "nq-mau-99" not in [d["id"] for d in before["not_loaded"]]
    preview = upload(c, "/api/documents/preview", FIXTURES / RESOLUTION_FILE, admin_token).json()
    assert preview["doc_id"] == "nq-mau-99" and preview["catalog"]["number"] == "99-NQ/TW"
    r = upload(c, "/api/documents", FIXTURES / RESOLUTION_FILE, admin_token)
    assert r.status_code == 200, r.text
    assert [f["doc_id"] for f in r.json()["files"] if f["file"] == RESOLUTION_FILE] == ["nq-mau-99"]

    xref = c.get("/api/crossrefs", params={"doc": PLAN_ID}).json()
    best: dict[str, dict] = {}
    for a in xref["alignments"]:
        if a["target_doc"] == "nq-mau-99" and a["score"] > best.get(a["section"], {}).get("score", -1):
            best[a["section"]] = a
    assert {s: a["target_section"] for s, a in best.items()} == _expected_pairs()

    cov = c.get("/api/coverage", params={"doc": PLAN_ID}).json()
    assert cov["higher"] == ["nq-mau-99"]
    uncovered = [u["section"] for u in cov["uncovered"] if u["doc_id"] == "nq-mau-99"]
    assert "III.6" in uncovered and not {"III.1", "III.2", "III.3", "III.4", "III.5"} & set(uncovered)
    assert [d["id"] for d in cov["not_loaded"]] == CATALOG_ONLY

    html = get_html(c, f"/documents/{PLAN_ID}/coverage")
    higher = section(html, "cap-tren")
    assert 'href="/documents/nq-mau-99#III.6"' in higher and 'href="/documents/nq-mau-99"' in higher
    assert "chưa có toàn văn" in higher.lower()  # the three others are still without text
    wb_sheet = _sheet_rows(c.get("/api/coverage.xlsx", params={"doc": PLAN_ID}).content, SHEETS[0])
    assert ("Nghị quyết 99-NQ/TW", "Mục III, điểm 6") in [row[:2] for row in wb_sheet]  # named, not by its id


def _sheet_rows(content: bytes, sheet: str) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(content))[sheet].iter_rows(min_row=2, values_only=True))


# --- in the browser -------------------------------------------------------------------------

# A failed API call (422, 403) is logged by chromium as a console error; those are expected here.
EXPECTED_CONSOLE = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")




@pytest.fixture
def page(browser):
    """A fresh page that refuses any request leaving 127.0.0.1 and records console errors."""
    yield from guarded_page(browser, EXPECTED_CONSOLE)


@pytest.mark.browser
@pytest.mark.server
def test_coverage_page_in_the_browser(page, live_server, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/documents/{PLAN_ID}")
    page.locator(".doc-side a", has_text="Báo cáo mức độ bao phủ").click()
    page.wait_for_url(re.compile(rf"/documents/{PLAN_ID}/coverage$"))
    expect(page.locator("h1")).to_have_text("Báo cáo mức độ bao phủ")
    expect(page.locator("[data-testid=chua-co-toan-van] li")).to_have_count(3)
    expect(page.locator("#chua-giao .finding-list li")).to_have_count(4)
    shot(page, "11-bao-cao-bao-phu")
    with page.expect_download() as info:
        page.locator("a[data-testid=tai-bao-cao]").click()
    download = info.value
    assert download.suggested_filename.startswith("Báo cáo mức độ bao phủ")
    assert download.suggested_filename.endswith(".xlsx")
    download.save_as(tmp_path / "bao-cao.xlsx")
    assert load_workbook(tmp_path / "bao-cao.xlsx").sheetnames == SHEETS


@pytest.mark.browser
@pytest.mark.server
def test_upload_flow_in_the_browser(page, index_copy, server_factory, admin_token):
    from playwright.sync_api import expect

    settings = index_copy("browser-upload")
    server = server_factory(settings)
    page.goto(server.url + "/")
    page.locator(".site-footer a", has_text="Nạp văn bản").click()
    page.wait_for_url(re.compile(r"/admin/upload$"))
    preview_button = page.get_by_role("button", name="Xem trước")
    expect(preview_button).to_be_enabled()  # the script is running (CSP allows it)
    shot(page, "12-nap-van-ban")

    page.locator("#admin-token").fill(admin_token)
    page.locator("#upload-file").set_input_files(str(FIXTURES / "fixture-utf8-bom.txt"))
    preview_button.click()
    preview = page.locator("#preview")
    # the first file after start-up waits for the process that reads uploads to finish loading
    # (4 s on an idle machine, much longer on a busy one)
    expect(preview).to_be_visible(timeout=60_000)
    expect(preview.locator("#preview-catalog")).to_contain_text("Văn bản mới")  # staff see no internal id
    outline = preview.locator("#preview-outline li")
    expect(outline.filter(has_text="I.1")).not_to_have_count(0)
    expect(preview.locator("#preview-outline")).to_contain_text("Sở Khoa học và Công nghệ chủ trì xây dựng thư viện số")
    assert page.locator("#preview-outline li.depth-1").count() >= 2  # items indented under their section
    assert admin_token not in page.url and page.evaluate("document.cookie") == ""
    assert page.evaluate("sessionStorage.getItem('tracuu.adminToken')") == admin_token
    shot(page, "13-xem-truoc")

    with server.client() as c:
        before = c.get("/healthz").json()
    page.get_by_role("button", name="Xác nhận nạp").click()
    report = page.locator("#report")
    expect(report).to_be_visible(timeout=180_000)
    expect(report).to_contain_text("fixture-utf8-bom.txt")
    with server.client() as c:  # a new generation serves it (the page does not show the program's words)
        generation = c.get("/healthz").json()["generation"]
    assert generation != before["generation"] and "Thế hệ" not in report.inner_text()
    shot(page, "14-da-nap")

    report.get_by_role("link", name="Mở văn bản vừa nạp").click()
    page.wait_for_url(re.compile(r"/documents/fixture-utf8-bom$"))
    expect(page.locator('[id="I.1"]')).to_contain_text("thư viện số")
    shot(page, "15-van-ban-vua-nap")

    # A corrupt .docx: the API's Vietnamese message, no preview, nothing added.
    page.goto(server.url + "/admin/upload")
    expect(page.locator("#admin-token")).to_have_value(admin_token)  # kept for this tab
    page.locator("#upload-file").set_input_files(str(FIXTURES / "fixture-hong.docx"))
    page.get_by_role("button", name="Xem trước").click()
    error = page.locator("#upload-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("fixture-hong.docx")
    expect(page.locator("#preview")).to_be_hidden()
    shot(page, "16-tep-hong")

    page.locator("#admin-token").fill("sai-ma")
    page.locator("#upload-file").set_input_files(str(FIXTURES / "fixture-utf8-bom.txt"))
    page.get_by_role("button", name="Xem trước").click()
    expect(error).to_contain_text("Mã quản trị không đúng")
    with server.client() as c:
        after = c.get("/healthz").json()
        ids = [d["id"] for d in c.get("/api/documents").json()]
    assert after["generation"] == generation and after["documents"] == before["documents"] + 1
    assert "fixture-hong" not in ids and not (settings.corpus_dir / "fixture-hong.docx").exists()
