"""``tracuu eval DOCS_DIR QUESTIONS.jsonl``: answer quality on real documents, as users see it.

The documents are ingested into a scratch index (a temporary data dir, embedded Chroma,
the configured embedder, the corpus's registry and catalog), every question goes through
the same answer code as ``/api/ask`` and is scored on the JSON the API would return.

Question lines: ``{"id", "file", "q", "agency", "also_ok", "role", "anchor", "kind"}``;
``anchor`` is an exact substring of the file's text inside the clause that answers.

Figures, per kind and per file:

- **agency**: the kind's own rule (DESIGN.md): agency/nodiac/task — ``agencies[0]`` is the
  agency or one of ``also_ok``; partner — the agency (or one of ``also_ok``) is among the
  answer's agencies with role phối hợp; deadline questions are not scored on agency;
- **cite**: ``citations[0].quote`` holds the anchor (whitespace collapsed on both sides);
- **doc**: ``citations[0]`` is in the question's document;
- **pass**: the kind's rule as a whole (task: agency and a citation holding the anchor;
  deadline: a citation holding the anchor).

Names match ignoring case, diacritics and punctuation.

Retrieval, beside them: **hit rate** and **MRR** of the top ``k`` search results (``/api/search``)
against the clauses that answer (those whose own text holds the anchor), computed here and, when
``tracuu[llama]`` is installed, by LlamaIndex's ``RetrieverEvaluator`` over ``TracuuRetriever``.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ingest.normalize import collapse_spaces, folded

RETRIEVAL_K = 10
KINDS = ("agency", "nodiac", "task", "partner", "deadline")
AGENCY_KINDS = ("agency", "nodiac", "task", "partner")


class QuestionsError(ValueError):
    """A questions file that cannot be read; the message names the line."""


@dataclass
class Question:
    id: str
    file: str
    q: str
    agency: str = ""
    also_ok: list[str] = field(default_factory=list)
    role: str = ""
    anchor: str = ""
    kind: str = "agency"


def load_questions(path: Path) -> list[Question]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(Question(**{k: v for k, v in raw.items() if k in Question.__dataclass_fields__}))
        except (json.JSONDecodeError, TypeError) as e:
            raise QuestionsError(f"{path}:{n}: dòng câu hỏi không đọc được ({e})") from e
    return out


def name_key(name: str) -> str:
    """A name compared ignoring case, diacritics and punctuation.

    >>> name_key("Bộ Tài nguyên và Môi trường") == name_key("bo tai nguyen va moi truong.")
    True
    >>> name_key("Bộ TN&MT")
    'bo tn mt'
    """
    return " ".join(re.sub(r"[^\w]+", " ", folded(name)).split())


def _text_key(text: str) -> str:
    """An anchor or a quote compared as the sets' SOURCES say: ignoring case, diacritics,
    punctuation and spacing (a Markdown capture's emphasis marks are not words).

    >>> _text_key("**4.** Đài Phát  thanh;") == _text_key("4. Đài Phát thanh") == "4 dai phat thanh"
    True
    """
    return name_key(text)


@dataclass
class Outcome:
    id: str
    file: str
    kind: str
    q: str
    want: str
    passed: bool
    agency_ok: bool | None  # None: the kind is not scored on agency
    cite_ok: bool
    any_cite_ok: bool
    doc_ok: bool
    got_agencies: list[list[str]]
    got_doc: str | None
    got_section: str | None
    got_quote: str
    seconds: float


def score(q: Question, answer: dict, doc_id: str | None, seconds: float = 0.0) -> Outcome:
    """Score one ``/api/ask`` JSON answer against its question."""
    wanted = {name_key(n) for n in [q.agency, *q.also_ok] if n}
    agencies = answer.get("agencies") or []
    citations = answer.get("citations") or []
    anchor = _text_key(q.anchor)
    holds = [bool(anchor) and anchor in _text_key(c.get("quote", "")) for c in citations]
    first = citations[0] if citations else {}
    cite_ok = bool(holds and holds[0])
    if q.kind == "partner":
        agency_ok = any(name_key(a["name"]) in wanted and a.get("role") == "phối hợp" for a in agencies)
    elif q.kind == "deadline":
        agency_ok = None
    else:
        agency_ok = bool(agencies) and name_key(agencies[0]["name"]) in wanted
    if q.kind == "task":
        passed = bool(agency_ok) and any(holds)
    elif q.kind == "deadline":
        passed = any(holds)
    else:
        passed = bool(agency_ok)
    return Outcome(q.id, q.file, q.kind, q.q, q.agency, passed, agency_ok, cite_ok, any(holds),
                   bool(first) and first.get("doc_id") == doc_id, [[a["name"], a.get("role", "")] for a in agencies[:4]],
                   first.get("doc_id"), first.get("section"), collapse_spaces(first.get("quote", ""))[:200], seconds)


def _rates(outcomes: list[Outcome]) -> dict:
    def share(vals):
        vals = [v for v in vals if v is not None]
        return round(sum(vals) / len(vals), 3) if vals else None

    return {
        "n": len(outcomes),
        "pass": share([o.passed for o in outcomes]),
        "agency": share([o.agency_ok for o in outcomes]),
        "cite": share([o.cite_ok for o in outcomes]),
        "doc": share([o.doc_ok for o in outcomes]),
    }


def summarise(outcomes: list[Outcome]) -> dict:
    by_kind, by_file = defaultdict(list), defaultdict(list)
    for o in outcomes:
        by_kind[o.kind].append(o)
        by_file[o.file].append(o)
    ms = sorted(o.seconds for o in outcomes)
    return {
        "all": _rates(outcomes),
        "by_kind": {k: _rates(v) for k, v in sorted(by_kind.items(), key=lambda kv: (kv[0] not in KINDS, kv[0]))},
        "by_file": {f: _rates(v) for f, v in sorted(by_file.items())},
        "latency_ms": {"p50": round(1000 * ms[len(ms) // 2], 1), "max": round(1000 * ms[-1], 1)} if ms else {},
    }


def run(engine, questions: list[Question], phraser=None) -> dict:
    """Ask every question of ``questions`` on ``engine``; the summary and every outcome."""
    from index.answers.answer import ask
    from service.schemas import ask_out

    files = _files(engine)
    outcomes = []
    for q in questions:
        t = time.perf_counter()
        answer = ask_out(ask(engine, q.q, phraser)).model_dump()
        outcomes.append(score(q, answer, files.get(q.file), time.perf_counter() - t))
    return {"summary": summarise(outcomes), "outcomes": [asdict(o) for o in outcomes],
            "missing_files": sorted({q.file for q in questions} - set(files))}


def _files(engine) -> dict[str, str]:
    """File name (as in the questions) -> document id."""
    return {meta.get("file"): doc_id for doc_id, meta in engine.manifest.get("documents", {}).items()}


def answering_clauses(doc, anchor: str) -> list[str]:
    """Ids of the clauses of ``doc`` whose own text (before their first child) holds ``anchor``,
    whitespace collapsed; failing that, the smallest clause whose whole text holds it."""
    key = _text_key(anchor)
    if not key:
        return []
    own = [c.id for c in doc.clauses if key in _text_key(doc.source[c.start:c.own_end])]
    if own:
        return own
    holding = [c for c in doc.clauses if key in _text_key(c.text)]
    return [min(holding, key=lambda c: c.end - c.start).id] if holding else []


def retrieval_cases(engine, questions: list[Question]) -> list[tuple[str, list[str]]]:
    """(question, ids of the clauses that answer it) for the questions whose anchor is found in their document."""
    files = _files(engine)
    cases = []
    for q in questions:
        doc_id = files.get(q.file)
        ids = answering_clauses(engine.documents[doc_id], q.anchor) if doc_id in engine.documents else []
        if ids:
            cases.append((q.q, ids))
    return cases


def ranking_figures(engine, cases: list[tuple[str, list[str]]], k: int = RETRIEVAL_K) -> dict:
    """Hit rate (an answering clause among the top ``k`` results) and MRR (1 / rank of the first one)."""
    per = []
    for q, expected in cases:
        ids = [h.clause.id for h in engine.search(q, k)]
        rank = next((i for i, cid in enumerate(ids, 1) if cid in expected), None)
        per.append({"hit_rate": 1.0 if rank else 0.0, "mrr": 1.0 / rank if rank else 0.0})
    n = len(per)
    return {"n": n, **{m: round(sum(p[m] for p in per) / n, 3) if n else None for m in ("hit_rate", "mrr")},
            "per_question": per}


def retrieval(engine, questions: list[Question], k: int = RETRIEVAL_K) -> dict:
    """The search's hit rate and MRR, ours and LlamaIndex's (``None`` without ``tracuu[llama]``)."""
    cases = retrieval_cases(engine, questions)
    from index.errors import MissingExtra

    try:
        from service.llama import evaluate_retriever
    except MissingExtra:
        llama = None
    else:
        llama = evaluate_retriever(engine, cases, k)
    return {"k": k, "without_clause": len(questions) - len(cases), "ours": _totals(ranking_figures(engine, cases, k)),
            "llamaindex": _totals(llama)}


def _totals(figures: dict | None) -> dict | None:
    return {key: v for key, v in figures.items() if key != "per_question"} if figures else None


def evaluate(docs_dir: Path, questions_path: Path, settings, data_dir: Path | None = None, progress=None,
             only: str | None = None, k: int = RETRIEVAL_K) -> dict:
    """Build a scratch index of ``docs_dir`` and run the questions on it.

    ``only``: a file-name prefix ("a", "b"): index only those files and ask only their
    questions, so the halves of a development set are measured on separate indexes.
    """
    from index.build.builder import build
    from index.engine import Engine
    from index.retrieval.embedders import create_embedder

    questions = load_questions(questions_path)
    paths = [Path(docs_dir)]
    if only:
        paths = sorted(p for p in Path(docs_dir).iterdir() if p.is_file() and p.name.startswith(only))
        questions = [q for q in questions if q.file.startswith(only)]
    with tempfile.TemporaryDirectory(prefix="tracuu-eval-") as tmp:
        data = data_dir or Path(tmp) / "data"
        embedder = create_embedder(settings.embedder, settings.embed_model)
        t = time.perf_counter()
        report = build(data, settings.corpus_dir, embedder, paths=paths, progress=progress)
        built = time.perf_counter() - t
        engine = Engine.open(replace(settings.options(), data_dir=data, chroma_url=None), embedder)
        out = run(engine, questions, None)
        out["retrieval"] = retrieval(engine, questions, k)
    out["index"] = {"documents": report.documents, "clauses": report.clauses, "seconds": round(built, 1),
                    "failed": [f.error for f in report.failed]}
    return out


def retrieval_line(r: dict) -> str:
    """"Tìm kiếm, top 10 …: hit rate 0.85, MRR 0.62; LlamaIndex RetrieverEvaluator: hit rate 0.85, MRR 0.62"."""
    def figures(f: dict) -> str:
        return f"hit rate {f['hit_rate']:.2f}, MRR {f['mrr']:.2f}" if f and f["n"] else "–"

    llama = (f"LlamaIndex RetrieverEvaluator: {figures(r['llamaindex'])}" if r["llamaindex"] is not None
             else "LlamaIndex: chưa cài (pip install 'tracuu[llama]')")
    skipped = f", {r['without_clause']} câu không tìm thấy câu trích mẫu" if r["without_clause"] else ""
    return (f"Tìm kiếm, top {r['k']} ({r['ours']['n']} câu hỏi có điều khoản trả lời{skipped}): "
            f"{figures(r['ours'])}; {llama}")


def format_report(out: dict, misses: bool = True) -> str:
    s = out["summary"]
    lines = [f"Chỉ mục: {out['index']['documents']} văn bản, {out['index']['clauses']} điều khoản "
             f"({out['index']['seconds']} s); {s['all']['n']} câu hỏi; trả lời p50 {s['latency_ms'].get('p50')} ms"]
    for err in out["index"]["failed"]:
        lines.append(f"  tệp lỗi: {err}")
    for f in out.get("missing_files", []):
        lines.append(f"  không có trong chỉ mục: {f}")

    def table(title: str, rows: dict) -> None:
        lines.append("")
        lines.append(f"{title:58} {'n':>3}  {'pass':>5} {'agency':>6} {'cite':>5} {'doc':>5}")
        for name, r in rows.items():
            cells = " ".join(f"{'–' if r[k] is None else f'{r[k]:.2f}':>{w}}" for k, w in
                             (("pass", 5), ("agency", 6), ("cite", 5), ("doc", 5)))
            lines.append(f"{name[:58]:58} {r['n']:>3}  {cells}")

    if "retrieval" in out:
        lines.append(retrieval_line(out["retrieval"]))
    table("theo loại câu hỏi", {**s["by_kind"], "tất cả": s["all"]})
    table("theo văn bản", s["by_file"])
    if misses:
        lines.append("")
        for o in out["outcomes"]:
            if o["passed"] and o["cite_ok"]:
                continue
            why = [w for w, bad in (("agency", o["agency_ok"] is False), ("cite", not o["cite_ok"]),
                                    ("doc", not o["doc_ok"])) if bad]
            got = "; ".join(f"{n} ({r})" for n, r in o["got_agencies"][:2]) or "—"
            lines.append(f"✗ {o['id']} [{o['kind']}] {','.join(why)}: {o['q'][:90]}")
            lines.append(f"    muốn: {o['want']}   được: {got}   trích: {o['got_section']}")
    return "\n".join(lines)
