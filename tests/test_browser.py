"""A member of staff's day in a real browser (Playwright driving Debian's chromium).

Search → answer card → citation → the clause in the document → the agency's page →
the responsibility matrix as XLSX. Every request the page makes must stay on
127.0.0.1. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"




@pytest.fixture
def page(browser, live_server):
    """A fresh page that records every request and refuses any that leaves 127.0.0.1."""
    yield from guarded_page(browser)


@pytest.fixture
def clipboard_page(browser, live_server):
    """The same, allowed to write and read the clipboard."""
    yield from guarded_page(browser, permissions=["clipboard-read", "clipboard-write"])


def guarded_page(browser, **options):
    context = browser.new_context(locale="vi-VN", accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  **options)
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith("data:") or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"console errors (CSP violations show up here): {errors}"


def shot(pg, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def test_search_answer_citation_agency_and_export(page, live_server, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    box = page.locator("#q")
    expect(box).to_be_focused()
    shot(page, "01-trang-tim-kiem")

    page.keyboard.type("Sở nào bố trí kinh phí?")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    card = page.locator("article.answer")
    expect(card).to_be_visible()
    expect(card.locator(".answer-text")).to_contain_text("Sở Tài chính")
    expect(card.locator(".quote mark").first).to_be_visible()
    chip = card.locator("a.chip").first
    expect(chip).to_have_attribute("href", "/documents/kh-ubnd-2024-cnsh#III.8")
    shot(page, "02-tra-loi")

    chip.click()
    page.wait_for_url(re.compile(r"/documents/kh-ubnd-2024-cnsh#III\.8$"))
    assert page.evaluate("location.hash") == "#III.8"
    target = page.locator('[id="III.8"]')
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("Sở Tài chính")
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == "III.8"
    # The :target highlight fades in (a CSS transition), so wait for it rather than sample once.
    page.wait_for_function(
        "() => { const el = document.querySelector(':target');"
        " return !!el && !['rgba(0, 0, 0, 0)', 'transparent'].includes(getComputedStyle(el).backgroundColor); }",
        timeout=5000,
    )
    shot(page, "03-dieu-khoan-III.8", full_page=False)

    page.go_back()
    page.locator("article.answer a.agency-name", has_text="Sở Tài chính").click()
    page.wait_for_url(re.compile(r"/agencies/so-tai-chinh$"))
    expect(page.locator("h1")).to_have_text("Sở Tài chính")
    expect(page.locator("main")).to_contain_text("Sở Kế hoạch và Đầu tư")  # its predecessor's tasks
    shot(page, "04-trang-co-quan")

    page.goto(live_server.url + "/?q=" + "Sở nào bố trí kinh phí?")
    with page.expect_download() as info:
        page.locator("a[data-testid=tai-xlsx]").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "Cơ quan (theo văn bản)" and "Vai trò" in rows[0]
    assert any(r[0] == "Sở Tài chính" for r in rows[1:])
    shutil.copy(path, SHOTS.parent / "ma-tran-trach-nhiem.xlsx")


def test_the_copy_button_copies_the_citation(clipboard_page, live_server):
    """"Sao chép trích dẫn" puts the document, the label and the verbatim quote on the clipboard."""
    from playwright.sync_api import expect

    q = "Sở nào bố trí kinh phí?"
    top = httpx.get(live_server.url + "/api/ask", params={"q": q}).json()["citations"][0]
    page = clipboard_page
    prompts: list[str] = []  # the fallback when the clipboard refuses: a prompt showing the text
    page.on("dialog", lambda d: (prompts.append(d.message), d.dismiss()))
    page.goto(live_server.url + "/?q=" + q)
    button = page.locator("article.answer button[data-copy]")
    expect(button).to_have_text("Sao chép trích dẫn")
    button.click()
    expect(button).to_have_text("Đã sao chép")
    assert prompts == []
    copied = page.evaluate("navigator.clipboard.readText()")
    source = page.locator("article.answer figcaption a").inner_text()  # "<document>, <label>"
    quote = " ".join(top["quote"].split())
    assert copied == f"{source}: “{quote}”", copied
    assert top["label"] == "Mục III, điểm 8" and source.endswith(", Mục III, điểm 8")
    assert source.startswith("Kế hoạch") and "Sở Tài chính" in quote


def test_suggestions_and_mobile_layout(page, live_server):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    with page.expect_response(lambda r: "/api/suggest" in r.url and r.ok):
        page.locator("#q").type("tai chinh", delay=30)
    expect(page.locator("#goi-y option[value='Sở Tài chính']")).to_have_count(1)
    shot(page, "05-goi-y-di-dong")
    page.goto(live_server.url + "/?q=" + "Sở KH&CN phải làm gì?".replace("&", "%26"))
    expect(page.locator("article.answer")).to_contain_text("Sở Khoa học và Công nghệ")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    shot(page, "06-tra-loi-di-dong")


def test_catalog_only_document_and_agency_digest(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/documents/nq-36-tw-2023")
    expect(page.locator("main")).to_contain_text("chưa có toàn văn")
    shot(page, "07-van-ban-chua-co-toan-van")
    page.goto(live_server.url + "/agencies/so-nn-mt")
    expect(page.locator("main")).to_contain_text("Sở Tài nguyên và Môi trường")
    shot(page, "08-so-nn-mt")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    shot(page, "09-so-nn-mt-ban-in")


def test_hostile_query_shows_as_text(page, live_server):
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server.url + "/")
    page.locator("#q").fill("<script>alert(1)</script>")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#q")).to_have_value("<script>alert(1)</script>")
    assert dialogs == []
    shot(page, "10-truy-van-la")
