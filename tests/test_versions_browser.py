"""Versions in a real browser (Playwright driving Debian's chromium), on a server of its own:
the records officer replaces a plan with its new version, is told when nothing changed or
when a file duplicates a loaded one; a reader follows the old version to the current one,
and the links in a text to the documents it names.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import guarded_page, shot
from test_browser import no_internal_words

pytestmark = [pytest.mark.browser, pytest.mark.server]

FIXTURES = Path(__file__).parent / "fixtures"
V1 = "fixture-ke-hoach-12-tinh-mau.txt"
V3 = "fixture-ke-hoach-12-tinh-mau-ban-3.txt"  # the same plan (12/KH-UBND of tỉnh Mẫu), changed, another name
K07 = "fixture-ke-hoach-07-tinh-mau.txt"
K30 = "fixture-ke-hoach-30-thay-the-tinh-mau.txt"  # "thay thế Kế hoạch số 07/KH-UBND"
REFUSED = "Failed to load resource: the server responded with a status of 409"  # the duplicate, expected


@pytest.fixture(scope="module")
def server(module_server_factory):
    return module_server_factory()


@pytest.fixture
def page(browser, server):
    """A page that refuses any request leaving 127.0.0.1 and fails on console errors (but the
    409 a refused duplicate answers)."""
    yield from guarded_page(browser, re.compile(re.escape(REFUSED)))


def choose_and_preview(pg, path: Path, token: str) -> None:
    pg.locator("#admin-token").fill(token)
    pg.locator("#upload-file").set_input_files(str(path))
    pg.locator("#preview-button").click()


def test_officer_replaces_a_plan_with_its_new_version_and_the_old_one_stays_readable(page, server, admin_token, tmp_path):
    from playwright.sync_api import expect

    page.goto(server.url + "/admin/upload")
    choose_and_preview(page, FIXTURES / V1, admin_token)
    expect(page.locator("#preview")).to_be_visible(timeout=60_000)  # the first read waits for the reader process
    expect(page.locator("#preview-standing")).to_be_hidden()  # a new document: nothing to replace
    page.locator("#confirm-button").click()
    expect(page.locator("#report-title")).to_have_text("Đã nạp văn bản", timeout=120_000)

    # the same file again: nothing changed, and the page says so without a green "Đã nạp"
    choose_and_preview(page, FIXTURES / V1, admin_token)
    expect(page.locator("#preview-standing")).to_have_text("Văn bản không thay đổi; không nạp lại.", timeout=30_000)
    page.locator("#confirm-button").click()
    expect(page.locator("#report-title")).to_have_text("Văn bản không thay đổi", timeout=60_000)
    expect(page.locator("#report-summary")).to_have_text("Văn bản không thay đổi; không nạp lại.")
    assert "notice-ok" not in page.locator("#report").get_attribute("class")
    shot(page, "20-nap-lai-khong-doi")

    # the same bytes under another name: refused, naming the plan by its number
    copy = tmp_path / "fixture-ban-sao-ke-hoach.txt"
    copy.write_bytes((FIXTURES / V1).read_bytes())
    choose_and_preview(page, copy, admin_token)
    error = page.locator("#upload-error-text")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("trùng nội dung")
    expect(error).to_contain_text("12/KH-UBND")
    assert "fixture-ke-hoach-12-tinh-mau" not in error.inner_text()

    # a new version under another name: offered as a new version of the loaded plan
    choose_and_preview(page, FIXTURES / V3, admin_token)
    standing = page.locator("#preview-standing")
    expect(standing).to_contain_text("Phiên bản mới của văn bản đã nạp", timeout=30_000)
    expect(standing).to_contain_text("12/KH-UBND")
    expect(page.locator("#confirm-button")).to_have_text("Xác nhận thay thế")
    shot(page, "21-xem-truoc-phien-ban-moi")
    page.locator("#confirm-button").click()
    expect(page.locator("#report-title")).to_have_text("Đã nạp văn bản", timeout=120_000)
    old_link = page.locator("#report-old-link")
    expect(old_link).to_be_visible()
    old_link.click()

    # the old version: marked as replaced, dated, linking to the current one
    banner = page.get_by_test_id("da-duoc-thay-the")
    expect(banner).to_contain_text("Đã được thay thế bởi")
    expect(banner).to_contain_text(time.strftime("%d/%m/%Y"))
    expect(page.locator(".doc-body")).to_contain_text("sâm núi mẫu")
    no_internal_words(page)
    shot(page, "22-phien-ban-cu")
    banner.locator("a").click()
    page.wait_for_url("**/documents/fixture-ke-hoach-12-tinh-mau-ban-3")
    expect(page.locator(".doc-body")).to_contain_text("rừng quế hồi mẫu")
    expect(page.get_by_test_id("phien-ban-truoc")).to_contain_text("12/KH-UBND")
    expect(page.get_by_test_id("da-duoc-thay-the")).to_have_count(0)

    # search finds the current version only
    page.goto(server.url + "/?q=" + "danh mục cây sâm núi mẫu")
    expect(page.locator("main")).not_to_contain_text("lập danh mục cây sâm núi mẫu")


def test_reader_follows_a_mention_to_the_plan_it_replaces_and_the_answer_says_so(page, server, admin_token):
    from playwright.sync_api import expect

    with server.client(headers={"Authorization": f"Bearer {admin_token}"}, timeout=180) as c:
        for name in (K07, K30):
            r = c.post("/api/documents", files={"file": (name, (FIXTURES / name).read_bytes())})
            assert r.status_code == 200, r.text

    page.goto(server.url + "/documents/fixture-ke-hoach-30-thay-the-tinh-mau")
    link = page.locator(".clause-text a.doc-link", has_text="Kế hoạch số 07/KH-UBND")
    expect(link).to_have_count(1)
    expect(page.locator(".clause-text a.doc-link", has_text="Nghị quyết 36-NQ/TW")).to_have_count(1)
    expect(page.locator(".doc-side")).to_contain_text("Thay thế")
    shot(page, "23-lien-ket-trong-van-ban")
    link.click()
    page.wait_for_url("**/documents/fixture-ke-hoach-07-tinh-mau")
    banner = page.get_by_test_id("da-duoc-thay-the")
    expect(banner).to_contain_text("Đã được thay thế bởi")
    expect(banner).to_contain_text("30/KH-UBND")
    expect(banner).to_contain_text("20/06/2099")
    expect(page.locator(".doc-side")).to_contain_text("Bị thay thế bởi")
    no_internal_words(page)

    page.goto(server.url + "/?q=" + "Ai bố trí kinh phí thuê máy quét khổ lớn cho kho lưu trữ mẫu?")
    expect(page.locator("main")).to_contain_text("07/KH-UBND đã được thay thế bởi")
    shot(page, "24-tra-loi-van-ban-bi-thay-the")
