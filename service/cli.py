"""``tracuu``: ingest, search, ask, serve, and the agency/matrix/cross-reference look-ups.

Settings come from ``TRACUU_*`` environment variables (see README); ``--json`` prints
exactly what the HTTP API returns.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from index.errors import ConfigError, TracuuError
from service.settings import get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _engine():
    from index.engine import Engine

    return Engine.open(get_settings().options())


def _doc_name(engine, doc_id: str) -> str:
    """A document as users name it ("Kế hoạch (chưa ghi số) của UBND tỉnh …"), from its header or its
    catalog entry; never its id."""
    from ingest.models import Header

    if doc_id in engine.documents:
        return engine.documents[doc_id].header.display_name()
    e = engine.catalog.entries.get(doc_id) if engine.catalog else None
    if e is None:
        return doc_id  # an id no header or catalog entry names: nothing else to say
    return Header(doc_type=e.type, number=e.number, number_known=e.number_known, issuer=e.issuer, date=e.date,
                  title=e.title).display_name()


def _fail(err: Exception) -> None:
    typer.secho(f"Lỗi: {err}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.command()
def ingest(paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the corpus dir)")] = None):
    """Parse and index documents; unchanged files are skipped (content hash)."""
    from index.build.builder import BuildReport, FileResult
    from service import lease

    s = get_settings()
    try:
        if s.chroma_url:  # processes share the Chroma server: nothing to hold
            report = _build_here(s, paths)
        else:
            with lease.build_here_or_hand_over(s.data_dir) as server:
                if server is None:
                    report = _build_here(s, paths)
                else:
                    body = _hand_over(server, paths)
                    files = [FileResult(**f) for f in body.pop("files")]
                    report = BuildReport(files, **{k: v for k, v in body.items() if k in BuildReport.__dataclass_fields__})
    except TracuuError as e:
        _fail(e)
    if report.reasons:
        typer.echo(f"Đọc lại mọi văn bản vì đã thay đổi: {', '.join(report.reasons)}.")
    for f in report.files:
        mark = {"failed": "✗", "unchanged": "=", "new": "+", "changed": "~"}[f.status]
        line = f"{mark} {f.file}"
        line += f" → {f.doc_id} ({f.clauses} điều khoản)" if f.doc_id and f.status != "failed" else ""
        typer.echo(line + (f": {f.error}" if f.error else ""))
        for w in f.warnings:
            typer.echo(f"    cảnh báo: {w}")
    what = f"thế hệ chỉ mục mới {report.generation}" if report.built else "không có gì thay đổi"
    typer.echo(
        f"Tổng: {report.documents} văn bản, {report.clauses} điều khoản; nhúng {report.embedded}, dùng lại "
        f"{report.reused}; {len(report.failed)} tệp lỗi; {what} ({report.seconds:.1f} s)."
    )
    if report.failed:
        raise typer.Exit(1)


def _build_here(s, paths: list[Path] | None):
    """Build in this process, with a progress bar per stage."""
    from tqdm import tqdm

    from index.build.builder import build
    from index.retrieval.embedders import create_embedder

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="", leave=False, file=sys.stderr)
        bar.total = max(total, 1)
        bar.n = done
        bar.refresh()

    try:
        return build(s.data_dir, s.corpus_dir, lambda: create_embedder(s.embedder, s.embed_model), paths or None,
                     s.chroma_url, progress, parse=s.file_parser())
    finally:
        for bar in bars.values():
            bar.close()


def _hand_over(server, paths: list[Path] | None) -> dict:
    """Have the server that holds the embedded data dir build (it alone may open its Chroma)."""
    import httpx

    typer.echo(f"Máy chủ tracuu serve (tiến trình {server.pid}, {server.url}) đang giữ thư mục dữ liệu với Chroma "
               "nhúng: việc nạp được giao cho máy chủ này…", err=True)
    body = {"paths": [str(p.resolve()) for p in paths] if paths else None}
    try:
        r = httpx.post(f"{server.url}/api/reindex", json=body, headers={"Authorization": f"Bearer {server.key}"},
                       timeout=httpx.Timeout(10.0, read=None))
    except httpx.HTTPError as e:
        raise TracuuError(f"Không giao được việc nạp cho máy chủ tracuu serve (tiến trình {server.pid}) đang giữ thư mục "
                          f"dữ liệu ({e}). Hai tiến trình không được cùng mở Chroma nhúng trong một thư mục: hãy dừng máy "
                          "chủ rồi chạy lại lệnh này, hoặc dùng máy chủ Chroma (TRACUU_CHROMA_URL).") from e
    if r.status_code != 200:
        detail = r.json().get("detail") if r.headers.get("content-type", "").startswith("application/json") else r.text
        raise TracuuError(f"Máy chủ tracuu serve (tiến trình {server.pid}) không nạp được: {detail}")
    return r.json()


@app.command()
def search(
    query: str,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Number of results")] = 10,
    doc: Annotated[str | None, typer.Option(help="Only this document id")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
):
    """Hybrid search: the best clauses for a query."""
    from service.schemas import search_out

    try:
        engine = _engine()
        out = search_out(query, engine.search(query, k, doc=doc), engine.agencies_of)
    except TracuuError as e:
        _fail(e)
    if as_json:
        typer.echo(out.model_dump_json(indent=2))
        return
    for i, r in enumerate(out.results, 1):
        typer.secho(f"{i}. {_doc_name(engine, r.doc_id)} — {r.label} ({r.section})", bold=True)
        if r.agencies:
            typer.echo(f"   Cơ quan: {', '.join(r.agencies)}")
        typer.echo(f"   {' '.join(r.text.split())[:300]}")


@app.command()
def ask(question: str, as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False):
    """Answer a question: the responsible agency, its role, and verbatim citations."""
    from index.answers.answer import ask as answer
    from service.schemas import ask_out

    try:
        engine = _engine()
        out = ask_out(answer(engine, question, get_settings().phraser()), engine)  # as /api/ask: with the citation
    except TracuuError as e:
        _fail(e)
    if as_json:
        typer.echo(out.model_dump_json(indent=2))
        return
    typer.secho(out.answer, bold=True)
    for note in out.notes:
        typer.echo(f"  Ghi chú: {note}")
    for c in out.citations:
        typer.echo(f"  [{c.citation}] “{' '.join(c.quote.split())[:400]}”")


@app.command()
def agencies(as_json: Annotated[bool, typer.Option("--json")] = False):
    """Agencies with tasks in the loaded documents."""
    from service.views import agencies_out

    try:
        out = agencies_out(_engine())
    except TracuuError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps([a.model_dump() for a in out], ensure_ascii=False, indent=2))
        return
    for a in out:
        typer.echo(f"{a.name:55} {a.tasks:3} nhiệm vụ{'' if a.active else '  (không còn — ' + a.successor_note + ')'}")


@app.command()
def export(
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the responsibility matrix as XLSX")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the responsibility matrix as CSV")] = None,
):
    """Export the responsibility matrix (agency × task × role × deadline × clause)."""
    from index.answers.export import matrix_csv, matrix_xlsx

    if not (xlsx or csv):
        _fail(ValueError("chọn --xlsx FILE hoặc --csv FILE"))
    try:
        engine = _engine()
    except TracuuError as e:
        _fail(e)
    if xlsx:
        xlsx.write_bytes(matrix_xlsx(engine))
        typer.echo(f"Đã ghi {xlsx}")
    if csv:
        csv.write_text(matrix_csv(engine), encoding="utf-8-sig")
        typer.echo(f"Đã ghi {csv}")


@app.command()
def crossref(
    doc: Annotated[str, typer.Argument(help="Document id, e.g. kh-ubnd-2024-cnsh")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    coverage_xlsx: Annotated[Path | None, typer.Option("--coverage-xlsx", help="Write the coverage report as XLSX")] = None,
):
    """Links of a document: what it implements and cites, clause alignments, coverage."""
    from index.answers.crossref import coverage, crossrefs
    from index.answers.export import coverage_xlsx as to_xlsx

    try:
        engine = _engine()
        out, cov = crossrefs(engine, doc), coverage(engine, doc)
    except TracuuError as e:
        _fail(e)
    if coverage_xlsx:
        coverage_xlsx.write_bytes(to_xlsx(engine, doc))
    if as_json:
        typer.echo(json.dumps({**out, "coverage": cov}, ensure_ascii=False, indent=2))
        return
    for key, title in (("implements", "Thực hiện"), ("cites", "Dẫn chiếu"), ("implemented_by", "Được thực hiện bởi"),
                       ("cited_by", "Được dẫn chiếu bởi")):
        for e in out[key]:
            other = e["to"] if key in ("implements", "cites") else e["from"]
            state = "" if other in engine.documents else " (chưa có toàn văn)"
            typer.echo(f"{title}: {_doc_name(engine, other)}{state}")
    for a in out["alignments"]:
        typer.echo(f"  {a['section']:8} → {_doc_name(engine, a['target_doc'])} {a['target_section']:8} ({a['score']:.2f}) "
                   f"{a['target_heading'][:60]}")
    for c in cov["uncovered"]:
        typer.echo(f"  chưa có điều khoản thực hiện: {_doc_name(engine, c['doc_id'])} {c['section']} {c['heading'][:60]}")
    for c in cov["tasks_without_agency"]:
        typer.echo(f"  nhiệm vụ chưa giao cơ quan chủ trì: {c['section']} {c['heading'][:60]}")


@app.command("eval")
def evaluate(
    docs_dir: Annotated[Path, typer.Argument(help="Folder of documents (.txt/.md/.docx/.pdf)", exists=True, file_okay=False)],
    questions: Annotated[Path, typer.Argument(help="Questions, one JSON object per line", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary and every outcome as JSON")] = False,
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="List the questions answered wrongly")] = True,
    only: Annotated[str | None, typer.Option(help="Only the files whose names start with this (a half of a set)")] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Search results scored for hit rate and MRR")] = 10,
):
    """Answer quality on a folder of documents: agency, first citation, document; per kind and per file;
    the search's hit rate and MRR (and LlamaIndex's, with tracuu[llama])."""
    from service.evaluate import QuestionsError, format_report
    from service.evaluate import evaluate as run_eval

    try:
        out = run_eval(docs_dir, questions, get_settings(), only=only, k=k)
    except (TracuuError, QuestionsError) as e:
        _fail(e)
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2) if as_json else format_report(out, misses))


@app.command()
def audit(
    docs_dir: Annotated[Path, typer.Argument(help="Folder of documents (.txt/.md/.docx/.pdf)", exists=True, file_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures and every file's as JSON")] = False,
    manifest: Annotated[Path | None, typer.Option(help="JSON lines with file and number_hint (default: "
                                                       "DOCS_DIR/manifest.jsonl, if any)", exists=True, dir_okay=False)] = None,
):
    """Parse every file of a folder (no index) and say what was read: identity, bodies, failures."""
    from service.audit import audit_dir, render

    report = audit_dir(docs_dir, manifest)
    typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else render(report))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Server processes; more than 1 needs TRACUU_CHROMA_URL")] = 1,
):
    """Serve the search page and the JSON API."""
    import uvicorn

    s = get_settings()
    if workers > 1 and not s.chroma_url:
        _fail(ConfigError("Nhiều tiến trình (--workers) phải dùng chung một máy chủ Chroma: hãy đặt TRACUU_CHROMA_URL "
                          "(Chroma nhúng chỉ cho phép một tiến trình mở thư mục dữ liệu)."))
    host, port = host or s.host, port or s.port
    # The app (built by uvicorn, in each worker) reads its settings again: tell it where it listens,
    # so that on embedded Chroma it can say so to a `tracuu ingest` that hands it a build.
    os.environ.update(TRACUU_HOST=host, TRACUU_PORT=str(port))
    get_settings.cache_clear()
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info",
                http="service.protocol:HeaderTimeoutProtocol")  # a deadline on request headers


def main() -> None:
    app()


if __name__ == "__main__":
    main()
