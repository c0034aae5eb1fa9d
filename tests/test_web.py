"""The server-rendered pages, in process through an ASGI client over the app built from
settings: answers, links, escaping, anchors."""

from __future__ import annotations

import re

import pytest

PLAN_ID = "kh-ubnd-2024-cnsh"


@pytest.fixture
def web(client):
    return client


def page(web, path: str, status: int = 200, **params) -> str:
    r = web.get(path, params=params or None)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_home_page(web):
    html = page(web, "/")
    assert '<html lang="vi">' in html
    assert re.search(r'<input id="q" name="q"[^>]*autofocus', html)
    assert 'action="/"' in html and 'method="get"' in html
    assert 'href="/api/export.xlsx"' in html and 'href="/api/export.csv"' in html
    assert '<script src="/static/app.js"' in html and "<script>" not in html  # no inline script
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html  # no external assets


def test_answer_rendered_server_side(web):
    html = page(web, "/", q="Sở nào bố trí kinh phí")
    assert "Sở Tài chính" in html
    assert f'href="/documents/{PLAN_ID}#III.8"' in html
    assert 'href="/agencies/so-tai-chinh"' in html
    assert "<mark>bố trí kinh phí</mark>" in html  # the query's words, highlighted in the quote
    assert 'value="Sở nào bố trí kinh phí"' in html  # the box keeps the question


def test_no_diacritics_page(web):
    html = page(web, "/", q="so nao bo tri kinh phi")
    assert "Sở Tài chính" in html and "<mark>bố trí kinh phí</mark>" in html


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}} {% raw %}"])
def test_query_is_escaped(web, q):
    r = web.get("/", params={"q": q})
    assert r.status_code in (200, 422)
    html = r.text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    if "script" in q:
        assert "&lt;script&gt;" in html
    if "7*7" in q:
        assert "{{7*7}}" in html  # shown as typed, not evaluated as a template


@pytest.mark.parametrize(("q", "status"), [("   ", 422), ("a" * 501, 422), ("😀", 422)])
def test_bad_query_page_is_friendly(web, q, status):
    html = page(web, "/", status, q=q)
    assert 'role="alert"' in html and "Câu hỏi" in html


def test_empty_query_is_the_plain_page(web):
    html = page(web, "/", q="")
    assert "Trả lời" not in html


def test_filters_on_the_page(web):
    html = page(web, "/", q="kinh phí", agency="so-tai-chinh", section="III")
    assert f'/documents/{PLAN_ID}#III.8' in html
    assert '<option value="so-tai-chinh" selected>' in html
    html = page(web, "/", 404, q="kinh phí", doc="khong-co")
    assert "khong-co" in html


def test_agency_page_lists_predecessor_names(web):
    html = page(web, "/agencies/so-nn-mt")
    assert "Sở Nông nghiệp và Môi trường" in html
    assert "Sở Tài nguyên và Môi trường" in html and "Sở Nông nghiệp và Phát triển nông thôn" in html
    assert "Nghị định số 45/2025/NĐ-CP" in html
    assert f'href="/documents/{PLAN_ID}#III.6/2"' in html
    assert "data-print" in html


def test_agency_list_and_inactive_agency(web):
    html = page(web, "/agencies")
    assert 'href="/agencies/so-tai-chinh"' in html and "Không còn" in html
    html = page(web, "/agencies/so-khdt")
    assert "không còn" in html.lower() and 'href="/agencies/so-tai-chinh"' in html


def test_document_page_has_anchors(web):
    html = page(web, f"/documents/{PLAN_ID}")
    assert 'id="III.8"' in html and 'id="III.1/3"' in html and 'id="preamble"' in html
    assert 'href="#III.8"' in html  # outline
    assert "Sở Tài chính" in html


def test_documents_list_and_catalog_only_page(web):
    html = page(web, "/documents")
    assert html.count("chưa có toàn văn") >= 3 and f'href="/documents/{PLAN_ID}"' in html
    html = page(web, "/documents/nq-36-tw-2023")
    assert "chưa có toàn văn" in html.lower() and "36-NQ/TW" in html
    assert f'href="/documents/{PLAN_ID}#preamble"' in html  # where the plan cites it


def test_unknown_pages_are_friendly_404(web):
    for path in ("/documents/khong-co", "/agencies/khong-co", "/khong-co-trang-nay"):
        html = page(web, path, 404)
        assert "Không" in html and 'href="/"' in html


def test_static_assets(web):
    css = web.get("/static/style.css")
    assert css.status_code == 200 and ":target" in css.text and "@media print" in css.text
    js = web.get("/static/app.js")
    assert js.status_code == 200 and "fetch(" in js.text
    assert "http" not in js.text  # the script talks to this server only


def test_page_answer_uses_the_configured_phraser(index_copy, app_factory, chat_endpoint):
    """The page answers like ``/api/ask``: reworded by the configured OpenAI-compatible
    endpoint (here a stub on 127.0.0.1), with the phraser's note under the answer."""
    reply = "Sở Tài chính chủ trì, tham mưu bố trí kinh phí [1]."
    c = app_factory(index_copy("phraser", llm_base_url=chat_endpoint, llm_model=reply, admin_token=None))
    html = page(c, "/", q="Sở nào bố trí kinh phí?")
    api = c.get("/api/ask", params={"q": "Sở nào bố trí kinh phí?"}).json()
    assert api["answer"] == reply
    assert f'<p class="answer-text">{reply}</p>' in html
    notes = re.search(r'<ul class="answer-notes".*?</ul>', html, re.DOTALL)
    assert notes and "mô hình diễn đạt lại" in notes.group() and "đã kiểm tra nguồn" in notes.group()


def test_succession_notes_are_shown_once_under_the_answer(web):
    html = page(web, "/", q="Sở Nông nghiệp và Môi trường phải làm gì?")
    notes = re.search(r'<ul class="answer-notes".*?</ul>', html, re.DOTALL)
    assert notes and "Gồm nhiệm vụ giao cho Sở Tài nguyên và Môi trường" in notes.group()
    assert html.count("Gồm nhiệm vụ giao cho Sở Tài nguyên và Môi trường") == 1
