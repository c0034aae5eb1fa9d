"""Versions, duplicates and replacement, over a real server (``tracuu serve``) on a private
copy of the index: what a records officer and a reader of the answers notice.

The tests of this module run in order on one server: each builds on the documents the
previous ones loaded (fixtures of the invented "tỉnh Mẫu").
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
V1 = "fixture-ke-hoach-12-tinh-mau.txt"  # Kế hoạch 12/KH-UBND, first version
V2 = "fixture-ke-hoach-12-tinh-mau-ban-sua.txt"  # the same plan, changed
V3 = "fixture-ke-hoach-12-tinh-mau-ban-3.txt"  # the same plan, changed again
K07 = "fixture-ke-hoach-07-tinh-mau.txt"  # Kế hoạch 07/KH-UBND
K30 = "fixture-ke-hoach-30-thay-the-tinh-mau.txt"  # replaces 07, amends 12
PREVIEW, ADD = "/api/documents/preview", "/api/documents"


def data_of(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def server(module_server_factory):
    return module_server_factory()


@pytest.fixture(scope="module")
def c(server, admin_token):
    with server.client(headers={"Authorization": f"Bearer {admin_token}"}, timeout=180) as client:
        yield client


def send(c, path: str, name: str, data: bytes, replace: str | None = None):
    return c.post(path, files={"file": (name, data)}, data={"replace": replace} if replace else None)


def generation(c) -> str:
    return c.get("/healthz").json()["generation"]


def hits(c, q: str, doc: str | None = None) -> list[dict]:
    params = {"q": q, "k": 5} | ({"doc": doc} if doc else {})
    return c.get("/api/search", params=params).json()["results"]


def today() -> str:
    return time.strftime("%d/%m/%Y")


def test_an_unchanged_upload_says_nothing_changed_and_builds_nothing(c, server):
    first = send(c, ADD, K07, data_of(K07))
    assert first.status_code == 200, first.text
    assert first.json()["built"] is True and first.json()["unchanged"] is False
    before = generation(c)

    preview = send(c, PREVIEW, K07, data_of(K07))
    assert preview.status_code == 200 and preview.json()["unchanged"] is True
    assert preview.json()["replaces"] is None
    again = send(c, ADD, K07, data_of(K07))
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["unchanged"] is True and body["built"] is False
    assert body["message"] == "Văn bản không thay đổi; không nạp lại."
    assert body["files"][0]["status"] == "unchanged"
    assert generation(c) == before  # no rebuild


def test_the_same_bytes_under_another_name_are_refused_naming_the_original(c, server):
    copy = "fixture-ban-sao-ke-hoach-07.txt"
    before = generation(c)
    for path in (PREVIEW, ADD):
        r = send(c, path, copy, data_of(K07))
        assert r.status_code == 409, r.text
        detail = r.json()["detail"]
        assert "07/KH-UBND" in detail and "trùng nội dung" in detail, detail
        assert "fixture-ke-hoach-07-tinh-mau" not in detail  # the document's number, not its id
    assert not (server.settings.corpus_dir / copy).exists()
    assert generation(c) == before
    assert [d for d in c.get("/api/documents").json() if d["file"] == copy] == []


def test_a_new_version_under_the_same_name_replaces_after_confirmation(c, server):
    doc_id = "fixture-ke-hoach-12-tinh-mau"
    assert send(c, ADD, V1, data_of(V1)).status_code == 200
    assert hits(c, "danh mục cây sâm núi mẫu", doc_id)

    unconfirmed = send(c, ADD, V1, data_of(V2))  # new bytes, no confirmation: nothing replaced
    assert unconfirmed.status_code == 409 and "nội dung khác" in unconfirmed.json()["detail"]
    assert (server.settings.corpus_dir / V1).read_bytes() == data_of(V1)

    preview = send(c, PREVIEW, V1, data_of(V2)).json()
    assert preview["replaces"]["doc_id"] == doc_id and preview["replaces"]["same_file"] is True
    assert "12/KH-UBND" in preview["replaces"]["name"]
    done = send(c, ADD, V1, data_of(V2), replace=preview["replaces"]["doc_id"])
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["built"] is True and body["replaced"]["doc_id"] == doc_id
    assert (server.settings.corpus_dir / V1).read_bytes() == data_of(V2)

    # search and answers use the current version only
    assert hits(c, "vườn ươm hoa lan kim tuyến", doc_id)
    assert not any("sâm núi" in h["text"] for h in hits(c, "danh mục cây sâm núi mẫu"))

    # the old version stays readable, marked as replaced, linking to the current one
    old = c.get(body["replaced"]["url"])
    assert old.status_code == 200
    assert "sâm núi mẫu" in old.text
    banner = re.search(r'data-testid="da-duoc-thay-the"[^>]*>(.*?)</p>', old.text, re.S).group(1)
    assert "đã được thay thế bởi" in banner and f"ngày {today()}" in banner
    assert f'href="/documents/{doc_id}"' in banner
    # its text is on disk outside the corpus, listed with its date and successor
    listed = json.loads((server.settings.data_dir / "versions" / "index.json").read_text(encoding="utf-8"))["versions"]
    kept = [v for v in listed if v["doc_id"] == doc_id]
    assert len(kept) == 1 and kept[0]["superseded_by"] == doc_id
    assert (server.settings.data_dir / "versions" / kept[0]["key"] / V1).read_bytes() == data_of(V1)
    assert kept[0]["sha256"] == hashlib.sha256(data_of(V1)).hexdigest()
    # the current one lists it
    api = c.get(f"/api/documents/{doc_id}").json()
    assert [v["url"] for v in api["versions"]] == [body["replaced"]["url"]]
    assert api["superseded_by"] is None
    assert body["replaced"]["url"] in c.get(f"/documents/{doc_id}").text


def test_a_new_version_under_another_name_is_offered_by_its_number_and_replaces(c, server):
    old_id, new_id = "fixture-ke-hoach-12-tinh-mau", "fixture-ke-hoach-12-tinh-mau-ban-3"
    preview = send(c, PREVIEW, V3, data_of(V3))
    assert preview.status_code == 200, preview.text
    offered = preview.json()["replaces"]
    assert offered["doc_id"] == old_id and offered["same_file"] is False and offered["file"] == V1
    done = send(c, ADD, V3, data_of(V3), replace=old_id)
    assert done.status_code == 200, done.text

    ids = {d["id"] for d in c.get("/api/documents").json()}
    assert new_id in ids and old_id not in ids
    assert not (server.settings.corpus_dir / V1).exists() and (server.settings.corpus_dir / V3).exists()
    assert hits(c, "rừng quế hồi mẫu", new_id)
    assert not any("hoa lan" in h["text"] for h in hits(c, "vườn ươm hoa lan kim tuyến"))

    # the old address shows the replaced version, marked, with a link to the current document
    page = c.get(f"/documents/{old_id}")
    assert page.status_code == 200 and "hoa lan kim tuyến" in page.text
    banner = re.search(r'data-testid="da-duoc-thay-the"[^>]*>(.*?)</p>', page.text, re.S).group(1)
    assert "Đã được thay thế bởi" in banner and f'href="/documents/{new_id}"' in banner and today() in banner
    assert c.get(f"/api/documents/{old_id}").json()["superseded_by"] == new_id
    # the new one lists both earlier versions, latest first
    versions = c.get(f"/api/documents/{new_id}").json()["versions"]
    assert len(versions) == 2 and all(v["doc_id"] == old_id for v in versions)
    assert c.get(versions[-1]["url"]).status_code == 200 and "sâm núi" in c.get(versions[-1]["url"]).text


def test_a_document_that_replaces_another_marks_it_in_the_graph_and_in_answers(c, server):
    k07, k30, k12 = "fixture-ke-hoach-07-tinh-mau", "fixture-ke-hoach-30-thay-the-tinh-mau", "fixture-ke-hoach-12-tinh-mau-ban-3"
    assert send(c, ADD, K30, data_of(K30)).status_code == 200

    x07 = c.get("/api/crossrefs", params={"doc": k07}).json()
    assert [e["from"] for e in x07["replaced_by"]] == [k30]
    x12 = c.get("/api/crossrefs", params={"doc": k12}).json()
    assert [e["from"] for e in x12["amended_by"]] == [k30] and x12["replaced_by"] == []
    assert c.get(f"/api/documents/{k07}").json()["superseded_by"] == k30
    assert c.get(f"/api/documents/{k12}").json()["amended_by"] == [k30]
    assert k07 in c.get(f"/api/documents/{k30}").json()["supersedes"]

    answer = c.get("/api/ask", params={"q": "Ai bố trí kinh phí thuê máy quét khổ lớn cho kho lưu trữ mẫu?"}).json()
    assert answer["citations"][0]["doc_id"] == k07
    assert any("07/KH-UBND đã được thay thế bởi" in n and "30/KH-UBND" in n for n in answer["notes"]), answer["notes"]
    amended = c.get("/api/ask", params={"q": "Ai trồng rừng quế hồi mẫu ở vùng đệm?"}).json()
    assert amended["citations"][0]["doc_id"] == k12
    assert any("12/KH-UBND đã được sửa đổi, bổ sung bởi" in n for n in amended["notes"]), amended["notes"]
    # an answer from a document nothing replaces says nothing of it
    plain = c.get("/api/ask", params={"q": "Sở nào bố trí kinh phí?", "doc": "kh-ubnd-2024-cnsh"}).json()
    assert not any("thay thế" in n or "sửa đổi" in n for n in plain["notes"])
    # the search page shows the note beside the answer
    page = c.get("/", params={"q": "Ai bố trí kinh phí thuê máy quét khổ lớn cho kho lưu trữ mẫu?"}).text
    assert "đã được thay thế bởi" in page


def test_the_reader_links_mentions_of_known_documents(c, server):
    k30 = "fixture-ke-hoach-30-thay-the-tinh-mau"
    page = c.get(f"/documents/{k30}").text
    links = dict((m.group(2), m.group(1)) for m in re.finditer(r'<a class="doc-link" href="([^"]+)"[^>]*>([^<]+)</a>', page))
    assert links.get("Kế hoạch số 07/KH-UBND ngày 05/3/2098") == "/documents/fixture-ke-hoach-07-tinh-mau"
    assert links.get("Kế hoạch số 12/KH-UBND ngày 10/01/2099") == "/documents/fixture-ke-hoach-12-tinh-mau-ban-3"
    assert links.get("Nghị quyết 36-NQ/TW") == "/documents/nq-36-tw-2023"  # a catalog entry has a page too
    # the replaced document's page says so and links back
    old = c.get("/documents/fixture-ke-hoach-07-tinh-mau").text
    banner = re.search(r'data-testid="da-duoc-thay-the"[^>]*>(.*?)</p>', old, re.S).group(1)
    assert f'href="/documents/{k30}"' in banner and "ngày 20/06/2099" in banner


# --- a server killed while it replaces a document ----------------------------------------------


def _agreeing(settings) -> list[str]:
    """Where the corpus, the manifest and the kept versions disagree (nothing: they agree)."""
    manifest = json.loads((settings.data_dir / "manifest.json").read_text(encoding="utf-8"))
    wrong = []
    for doc_id, meta in manifest["documents"].items():
        path = settings.corpus_dir / meta["file"]
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != meta["sha256"]:
            wrong.append(f"{doc_id}: corpus file missing or other bytes")
    held = {m["file"] for m in manifest["documents"].values()}
    wrong += [f"{p.name} in the corpus, not in the index" for p in settings.corpus_dir.glob("*.txt") if p.name not in held]
    folder = settings.data_dir / "versions"
    wrong += [f"{p.name} left aside" for p in folder.glob(".pending-*")] if folder.exists() else []
    return wrong


def test_a_replacement_published_but_not_recorded_is_settled_at_start(index_copy, e5):
    """The narrowest window: the generation holding the new version was published, the server
    died before listing the old version and taking its file out of the corpus. The next
    start finishes both."""
    from index.build.builder import build
    from index.engine import Engine
    from service import versions
    from service.staging import settle_staged

    settings = index_copy("settle-version")
    (settings.corpus_dir / V1).write_bytes(data_of(V1))
    assert build(settings.data_dir, settings.corpus_dir, e5, paths=[settings.corpus_dir / V1]).built
    manifest = json.loads((settings.data_dir / "manifest.json").read_text(encoding="utf-8"))
    engine = Engine.open(settings.options(), e5)
    old_id = "fixture-ke-hoach-12-tinh-mau"
    versions.keep_old(settings.data_dir, settings.corpus_dir, engine, manifest, old_id, V3, data_of(V3))
    assert build(settings.data_dir, settings.corpus_dir, e5, uploads={V3: data_of(V3)}, drop=frozenset({old_id})).built
    (settings.corpus_dir / V3).write_bytes(data_of(V3))  # what the staging settles; then the server died

    settle_staged(settings)
    assert _agreeing(settings) == []
    kept = versions.served_as(settings.data_dir, old_id)
    assert len(kept) == 1 and kept[0].superseded_by == "fixture-ke-hoach-12-tinh-mau-ban-3"
    assert "12/KH-UBND" in kept[0].name and (settings.data_dir / "versions" / kept[0].key / V1).exists()


@pytest.mark.parametrize("delay", [1.0, 4.0])
def test_kill_9_during_a_replacement_then_restart_leaves_one_version_in_service(index_copy, server_factory,
                                                                                 admin_token, delay):
    """Killed at some point of replacing a document by its new version under another name: once
    started again, either the old version serves as before, or the new one does and the old is
    kept as replaced; corpus, manifest and kept versions agree."""
    import signal
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    settings = index_copy("kill-version")
    first = server_factory(settings)
    auth = {"Authorization": f"Bearer {admin_token}"}
    with first.client(headers=auth, timeout=180) as c:
        assert send(c, ADD, V1, data_of(V1)).status_code == 200

    # the replacement is sent from a thread; the server is killed while it works on it
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(send, httpx.Client(base_url=first.url, headers=auth, timeout=180), ADD, V3, data_of(V3),
                              "fixture-ke-hoach-12-tinh-mau")
        time.sleep(delay)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=30)
        assert isinstance(pending.exception(timeout=60), httpx.HTTPError) or pending.result().status_code == 200
    second = server_factory(settings)
    with second.client(timeout=60) as c:
        ids = {d["id"] for d in c.get("/api/documents").json()}
        assert c.get("/healthz").json()["status"] == "ok"
        if "fixture-ke-hoach-12-tinh-mau-ban-3" in ids:  # the new version was published
            assert "fixture-ke-hoach-12-tinh-mau" not in ids
            page = c.get("/documents/fixture-ke-hoach-12-tinh-mau").text
            assert "Đã được thay thế bởi" in page
        else:
            assert "fixture-ke-hoach-12-tinh-mau" in ids
            assert c.get("/api/documents/fixture-ke-hoach-12-tinh-mau").json()["versions"] == []
    assert _agreeing(settings) == []
