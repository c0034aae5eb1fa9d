"""The JSON API: the DESIGN.md contract, the answers staff rely on, hostile input (never a
5xx), security headers, and uploads. In process, through an ASGI client over the app built
from settings (``conftest.client``); what only a real process shows (uvicorn's own parsing of
raw paths, concurrent clients over sockets) runs against a real ``tracuu serve``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
PLAN_ID = "kh-ubnd-2024-cnsh"
CATALOG_ONLY = {"ctr-64-tu-2023", "nq-36-tw-2023", "nq-189-cp-2023"}
SEARCH_KEYS = {"id", "doc_id", "doc_number", "section", "label", "heading", "text", "score", "agencies", "jurisdictions",
               "url"}
CITATION_KEYS = {"doc_id", "doc_number", "section", "label", "heading", "quote", "start", "end", "url", "citation"}


@pytest.fixture
def api(client):
    return client


def plan_text() -> str:
    """The plan's source text, decoded the way the reader decodes a UTF-8 text file."""
    return (ROOT / "corpus" / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt").read_bytes() \
        .decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


# --- contract -------------------------------------------------------------------------------


def test_healthz(api):
    r = api.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["generation"] and body["documents"] == 1 and body["clauses"] > 50


def test_search_contract(api):
    r = api.get("/api/search", params={"q": "bố trí kinh phí", "k": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "bố trí kinh phí"
    assert 1 <= len(body["results"]) <= 5
    for res in body["results"]:
        assert set(res) == SEARCH_KEYS
        assert res["url"] == f"/documents/{res['doc_id']}#{res['section']}"
    assert body["results"][0]["section"] == "III.8"
    assert "Sở Tài chính" in body["results"][0]["agencies"]
    # each agency's place: the plan is Bình Thuận's
    top = body["results"][0]
    assert top["jurisdictions"][top["agencies"].index("Sở Tài chính")] == "Bình Thuận"


def test_ask_who_pays(api):
    r = api.get("/api/ask", params={"q": "Sở nào bố trí kinh phí?"})
    assert r.status_code == 200
    body = r.json()
    assert {"question", "answer", "agencies", "citations"} <= set(body) and body["supported"] is True
    assert body["agencies"][0]["name"] == "Sở Tài chính" and body["agencies"][0]["role"]
    assert body["agencies"][0]["jurisdiction"] == "Lâm Đồng"  # the registry's department, today (new) Lâm Đồng's
    top = body["citations"][0]
    assert set(top) == CITATION_KEYS
    assert top["section"] == "III.8" and top["doc_id"] == PLAN_ID
    assert top["url"] == f"/documents/{PLAN_ID}#III.8"
    assert top["citation"] == "khoản 8 Mục III Kế hoạch số …/KH-UBND ngày … tháng 4 năm 2024 của UBND tỉnh Bình Thuận"
    assert plan_text()[top["start"]:top["end"]] == top["quote"]
    for c in body["citations"]:  # every quote is verbatim
        assert plan_text()[c["start"]:c["end"]] == c["quote"]


def test_no_diacritics_query(api):
    body = api.get("/api/ask", params={"q": "so nao bo tri kinh phi"}).json()
    assert body["agencies"][0]["name"] == "Sở Tài chính"
    assert body["citations"][0]["section"] == "III.8"
    results = api.get("/api/search", params={"q": "so nao bo tri kinh phi"}).json()["results"]
    assert results and results[0]["section"] == "III.8"


def test_search_filters(api):
    r = api.get("/api/search", params={"q": "tuyên truyền", "section": "III", "k": 10})
    assert r.status_code == 200
    results = r.json()["results"]
    assert results and all(x["section"].startswith("III") for x in results)
    own = {t["section"] for g in api.get("/api/agencies/so-tai-chinh").json()["roles"] for t in g["tasks"]}
    r = api.get("/api/search", params={"q": "kinh phí", "agency": "so-tai-chinh"})
    assert own and r.status_code == 200 and r.json()["results"][0]["section"] == "III.8"
    assert all(any(x["section"] == s or x["section"].startswith(s + "/") or s.startswith(x["section"] + "/")
                   for s in own) for x in r.json()["results"])
    assert api.get("/api/search", params={"q": "kinh phí", "agency": "khong-co"}).status_code == 404
    assert api.get("/api/search", params={"q": "kinh phí", "doc": "khong-co"}).status_code == 404


def test_agency_digest_with_predecessors(api):
    body = api.get("/api/agencies/so-nn-mt").json()
    assert body["name"] == "Sở Nông nghiệp và Môi trường"
    tasks = [t for g in body["roles"] for t in g["tasks"]]
    pred = {t["section"]: t for t in tasks if t["why"] == "predecessor"}
    assert any(s.startswith("III.2") for s in pred) and any(s.startswith("III.6") for s in pred)
    assert {t["name_in_document"] for t in pred.values()} == {"Sở Nông nghiệp và Phát triển nông thôn",
                                                              "Sở Tài nguyên và Môi trường"}
    assert all("45/2025/NĐ-CP" in t["note"] for t in pred.values())
    assert {p["name"] for p in body["predecessors"]} >= {"Sở Tài nguyên và Môi trường"}
    assert api.get("/api/agencies/khong-co").status_code == 404


def test_agency_list(api):
    body = api.get("/api/agencies").json()
    by_id = {a["id"]: a for a in body}
    assert by_id["so-tai-chinh"]["tasks"] >= 1
    assert by_id["so-tnmt"]["active"] is False and "Sở Nông nghiệp và Môi trường" in by_id["so-tnmt"]["successors"]
    assert set(body[0]) >= {"id", "name", "kind", "level", "active", "tasks", "successors"}


def test_documents_list_and_catalog_only(api):
    docs = api.get("/api/documents").json()
    assert len(docs) == 4
    loaded = [d for d in docs if d["loaded"]]
    assert [d["id"] for d in loaded] == [PLAN_ID]
    missing = {d["id"]: d for d in docs if not d["loaded"]}
    assert set(missing) == CATALOG_ONLY and all(d["status"] == "chưa có toàn văn" for d in missing.values())
    nq = api.get("/api/documents/nq-36-tw-2023").json()
    assert nq["loaded"] is False and nq["number"] == "36-NQ/TW" and nq["outline"] == []
    assert any(c["section"] == "preamble" for c in nq["cited_by"])


def test_document_outline(api):
    body = api.get(f"/api/documents/{PLAN_ID}").json()
    assert body["loaded"] is True and body["type"] == "Kế hoạch"
    by_path = {c["path"]: c for c in body["outline"]}
    assert {"preamble", "III", "III.8", "III.1/3"} <= set(by_path)
    c = by_path["III.8"]
    assert c["label"] == "Mục III, điểm 8" and c["heading"] == "Sở Tài chính"
    assert plan_text()[c["start"]:c["end"]] == c["text"]


def test_crossrefs(api):
    r = api.get("/api/crossrefs", params={"doc": PLAN_ID})
    assert r.status_code == 200
    body = r.json()
    assert {e["to"] for e in body["implements"]} == {"ctr-64-tu-2023", "nq-189-cp-2023"}
    assert "nq-36-tw-2023" in {e["to"] for e in body["cites"]}
    assert {e["from"] for e in api.get("/api/crossrefs", params={"doc": "nq-36-tw-2023"}).json()["cited_by"]} >= {PLAN_ID}
    assert api.get("/api/crossrefs", params={"doc": "khong-co"}).status_code == 404


def test_suggest(api):
    body = api.get("/api/suggest", params={"q": "tai chinh"}).json()
    assert "Sở Tài chính" in [s["text"] for s in body["suggestions"]]
    assert any(s["kind"] == "văn bản" for s in api.get("/api/suggest", params={"q": "NQ 36"}).json()["suggestions"])
    assert api.get("/api/suggest", params={"q": ""}).json()["suggestions"] == []


def test_exports(api):
    from io import BytesIO

    from openpyxl import load_workbook

    r = api.get("/api/export.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Cơ quan") and "Sở Tài chính" in text
    r = api.get("/api/export.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Cơ quan (theo văn bản)" and any(row[0] == "Sở Tài chính" for row in rows[1:])


# --- hostile input --------------------------------------------------------------------------

BAD = [
    ("/api/search", {"q": ""}, 422), ("/api/search", {"q": "   "}, 422), ("/api/search", {"q": "a" * 501}, 422),
    ("/api/search", {"q": "kinh phí", "k": "0"}, 422), ("/api/search", {"q": "kinh phí", "k": "51"}, 422),
    ("/api/search", {"q": "kinh phí", "k": "abc"}, 422), ("/api/search", {}, 422),
    ("/api/ask", {"q": ""}, 422), ("/api/ask", {"q": "\t\n"}, 422), ("/api/ask", {"q": "x" * 501}, 422),
    ("/api/documents/khong-co", {}, 404), ("/api/agencies/khong-co", {}, 404),
]
WEIRD = ["<script>alert(1)</script>", "😀🇻🇳", "' OR 1=1 --", ".*[(", "\\", "%00", "Sở\u0000Tài chính", "a" * 500,
         "SELECT * FROM clauses; DROP TABLE x", "{{7*7}}", "../../etc/passwd", "ｓở ｔài ｃhính", "\u202eabc"]


@pytest.mark.parametrize(("path", "params", "status"), BAD)
def test_bad_input_is_a_clean_4xx(api, path, params, status):
    r = api.get(path, params=params)
    assert r.status_code == status
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail and not detail.isascii()  # a Vietnamese sentence


@pytest.mark.parametrize("q", WEIRD)
@pytest.mark.parametrize("path", ["/api/search", "/api/ask"])
def test_weird_queries_never_5xx(api, path, q):
    r = api.get(path, params={"q": q})
    assert r.status_code in (200, 422), r.text
    body = r.json()
    assert ("detail" in body) if r.status_code == 422 else ("results" in body or "answer" in body)


@pytest.mark.server
@pytest.mark.parametrize("raw", ["/api/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                 "/api/agencies/..%2F..%2F", "/api/documents/%00", "/static/..%2F..%2Fsettings.py",
                                 "/api/search?q=%ff%fe", "/api/search?q=kinh&k=1e9", "/api/search?q=kinh&k=-1"])
def test_raw_paths_never_5xx(live_server, raw):
    r = httpx.get(live_server.url + raw, timeout=30)
    assert 400 <= r.status_code < 500 or r.status_code == 200, r.text
    if r.status_code >= 400:
        assert r.json()["detail"]
    assert "root:" not in r.text


def test_security_headers(api):
    for path in ("/api/search?q=kinh%20ph%C3%AD", "/", "/api/documents/khong-co", "/static/style.css"):
        h = api.get(path).headers
        csp = h["content-security-policy"]
        for part in ("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"):
            assert part in csp
        assert "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin"


# --- uploads --------------------------------------------------------------------------------


def _upload(c: httpx.Client, path: str, file: Path, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return c.post(path, files={"file": (file.name, file.read_bytes())}, headers=headers)


def test_upload_needs_the_token(api):
    f = FIXTURES / "fixture-utf8-bom.txt"
    assert _upload(api, "/api/documents", f, token=None).status_code == 401
    assert _upload(api, "/api/documents", f, token="sai-ma").status_code == 403
    assert _upload(api, "/api/documents/preview", f, token=None).status_code == 401


def test_upload_off_without_configured_token(index_copy, app_factory, admin_token):
    c = app_factory(index_copy("no-token", admin_token=None))
    r = _upload(c, "/api/documents", FIXTURES / "fixture-utf8-bom.txt", admin_token)
    assert r.status_code == 403 and "chưa bật" in r.json()["detail"]


def test_preview_does_not_change_the_index(api, admin_token):
    gen = api.get("/healthz").json()["generation"]
    r = _upload(api, "/api/documents/preview", FIXTURES / "fixture-utf8-bom.txt", admin_token)
    assert r.status_code == 200
    body = r.json()
    assert body["doc_id"] == "fixture-utf8-bom" and body["clauses"] > 0 and body["outline"]
    assert _upload(api, "/api/documents/preview", FIXTURES / "fixture-hong.docx", admin_token).status_code == 422
    assert api.get("/healthz").json()["generation"] == gen


def test_upload_lifecycle(index_copy, app_factory, admin_token):
    """On a private copy of the index: too large → 413, corrupt → 422 and nothing changes,
    valid → a new generation where the document is listed and searchable."""
    settings = index_copy("own", max_upload_mb=1)
    c = app_factory(settings)
    auth = {"Authorization": f"Bearer {admin_token}"}
    before = c.get("/healthz").json()
    big = "Kế hoạch\n".encode() + b"a" * (1024 * 1024 + 10)
    r = c.post("/api/documents", files={"file": ("lon.txt", big)}, headers=auth)
    assert r.status_code == 413 and r.json()["detail"]

    r = _upload(c, "/api/documents", FIXTURES / "fixture-hong.docx", admin_token)
    assert r.status_code == 422 and "fixture-hong.docx" in r.json()["detail"]
    assert c.get("/healthz").json()["generation"] == before["generation"]
    assert not (settings.corpus_dir / "fixture-hong.docx").exists()
    assert not (settings.corpus_dir / "lon.txt").exists()

    r = _upload(c, "/api/documents", FIXTURES / "fixture-utf8-bom.txt", admin_token)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["built"] is True and report["generation"] != before["generation"]
    after = c.get("/healthz").json()
    assert after["generation"] == report["generation"] and after["documents"] == before["documents"] + 1
    saved = settings.corpus_dir / "fixture-utf8-bom.txt"
    assert saved.read_bytes() == (FIXTURES / "fixture-utf8-bom.txt").read_bytes()
    ids = {d["id"]: d for d in c.get("/api/documents").json()}
    assert ids["fixture-utf8-bom"]["loaded"] is True
    hits = c.get("/api/search", params={"q": "thư viện số", "doc": "fixture-utf8-bom"}).json()["results"]
    assert hits and all(h["doc_id"] == "fixture-utf8-bom" for h in hits)
    top = c.get("/api/search", params={"q": "xây dựng thư viện số dùng chung"}).json()["results"][0]
    assert top["doc_id"] == "fixture-utf8-bom"
    page = c.get("/documents/fixture-utf8-bom")
    assert page.status_code == 200 and 'id="I.1"' in page.text

    # the same file again: nothing to do; another file under the same name: refused
    again = _upload(c, "/api/documents", FIXTURES / "fixture-utf8-bom.txt", admin_token)
    assert again.status_code == 200 and again.json()["built"] is False
    clash = c.post("/api/documents", files={"file": ("fixture-utf8-bom.txt", b"Noi dung khac\n1. Mot muc\n")},
                   headers=auth)
    assert clash.status_code == 409
    assert c.get("/healthz").json()["generation"] == report["generation"]


@pytest.mark.server
def test_concurrent_requests(live_server):
    """Searches run in the thread pool side by side; none may fail."""
    from concurrent.futures import ThreadPoolExecutor

    queries = ["Sở nào bố trí kinh phí?", "so nao bo tri kinh phi", "Sở KH&CN phải làm gì?", "tuyên truyền", "vaccine"]
    paths = ["/api/ask", "/api/search", "/"]

    def get(i: int) -> int:
        return httpx.get(live_server.url + paths[i % 3], params={"q": queries[i % 5]}, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(get, range(48))) == {200}


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"content": b"garbage", "headers": {"content-type": "multipart/form-data; boundary=xyz"}}, 400),
    ({"json": {"file": "x"}}, 422),
    ({"files": {"file": ("chuong-trinh.exe", b"MZ")}}, 422),
    ({"files": {"file": ("../../etc/rong.txt", b"")}}, 422),
    ({"files": [("file", ("a.txt", b"a")), ("file", ("b.txt", b"b"))]}, 400),
    ({"data": {"file": "khong phai tep"}}, 422),
])
def test_malformed_uploads(api, admin_token, kwargs, status):
    kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), "Authorization": f"Bearer {admin_token}"}}
    r = api.post("/api/documents/preview", **kwargs)
    assert r.status_code == status and r.json()["detail"]
