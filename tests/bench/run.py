"""``make bench``: ingest time and in-process search latency, on the plan and on seeded
generated corpora; the one-query embedding floor; over HTTP, the time for a second server start to
answer /healthz, and latency/throughput of /api/search and /api/ask at 1 and 8 clients. Prints numbers; asserts nothing (machines are noisy).

Usage: python -m tests.bench.run [--sizes 10000] [--repeat 3] [--skip-server]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from index.build import build
from index.embedders import create_embedder
from index.engine import Engine, Options
from tests.bench.generate import generate
from tests.bench.servers import ChromaServer, Server, load

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "corpus"
QUERIES = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/gold.yaml").read_text(encoding="utf-8"))["questions"]]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latency(engine: Engine, repeat: int) -> tuple[float, float]:
    for q in QUERIES[:10]:  # warm-up
        engine.search(q, 10)
    times = []
    for _ in range(repeat):
        for q in QUERIES:
            t = time.perf_counter()
            engine.search(q, 10)
            times.append((time.perf_counter() - t) * 1000)
    return pct(times, 50), pct(times, 95)


def bench_corpus(name: str, corpus: Path, embedder, repeat: int, chroma_url: str | None = None) -> dict:
    data = Path(tempfile.mkdtemp(prefix="tracuu-bench-"))
    try:
        t = time.perf_counter()
        report = build(data, corpus, embedder, chroma_url=chroma_url)
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        again = build(data, corpus, embedder, chroma_url=chroma_url)
        reingest_s = time.perf_counter() - t
        t = time.perf_counter()
        engine = Engine.open(Options(data, corpus, chroma_url=chroma_url), embedder)
        open_s = time.perf_counter() - t
        p50, p95 = latency(engine, repeat)
        size = sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 2**20
        return {"corpus": name, "clauses": report.clauses, "ingest_s": ingest_s,
                "clauses_per_s": report.clauses / ingest_s, "reingest_s": reingest_s, "rebuilt": again.built,
                "open_s": open_s, "p50_ms": p50, "p95_ms": p95, "disk_mb": size, "peak_rss_mb": rss_mb()}
    finally:
        shutil.rmtree(data, ignore_errors=True)


def embed_floor(embedder) -> float:
    times = []
    for q in QUERIES:
        t = time.perf_counter()
        embedder.query(q)
        times.append((time.perf_counter() - t) * 1000)
    return pct(times, 50)


def http_figures(data: Path, floor: float, requests: int) -> None:
    """Second start to ready, then latency and throughput over HTTP at 1 and 8 clients."""
    with Server(data, CORPUS) as first:
        pass
    with Server(data, CORPUS) as srv:
        print(f"server start to ready /healthz: first {first.ready_s:.1f} s, second {srv.ready_s:.1f} s")
        print(f"{'endpoint':12} {'clients':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'errors':>6} {'p50/floor':>9}")
        for path in ("/api/search", "/api/ask"):
            for clients in (1, 8):
                r = load(srv.url, path, QUERIES, clients, requests)
                print(f"{path:12} {clients:>7} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['rps']:>7.1f} {r['errors']:>6} "
                      f"{r['p50'] / floor:>9.2f}")
        print(f"server peak RSS: {srv.rss_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000", help="generated corpus sizes, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-server", action="store_true")
    ap.add_argument("--requests", type=int, default=400, help="requests per HTTP load run")
    ap.add_argument("--chroma-server", action="store_true", help="also measure against a `chroma run` server")
    args = ap.parse_args()
    e5 = create_embedder("e5")
    floor = embed_floor(e5)
    rows = [bench_corpus("plan", CORPUS, e5, args.repeat)]
    sizes = [int(x) for x in args.sizes.split(",") if x]
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix="tracuu-gen-"))
        generate(folder, n)
        rows.append(bench_corpus(f"generated {n}", folder, e5, args.repeat))
        shutil.rmtree(folder, ignore_errors=True)
    if args.chroma_server:  # the same, against a `chroma run` server on loopback
        with ChromaServer(Path(tempfile.mkdtemp(prefix="tracuu-chroma-"))) as chroma:
            rows.append(bench_corpus("plan, server", CORPUS, e5, args.repeat, chroma.url))
            for n in sizes[:1]:
                folder = Path(tempfile.mkdtemp(prefix="tracuu-gen-"))
                generate(folder, n)
                rows.append(bench_corpus(f"gen {n}, server", folder, e5, args.repeat, chroma.url))
                shutil.rmtree(folder, ignore_errors=True)

    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}")
    print(f"one-query embedding floor (e5, p50): {floor:.1f} ms")
    print(f"{'corpus':18} {'clauses':>8} {'ingest s':>9} {'cl/s':>7} {'re-ingest s':>11} {'open s':>7} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'disk MB':>8} {'peak RSS MB':>11}")
    for r in rows:
        print(f"{r['corpus']:18} {r['clauses']:>8} {r['ingest_s']:>9.1f} {r['clauses_per_s']:>7.0f} "
              f"{r['reingest_s']:>11.2f} {r['open_s']:>7.2f} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
              f"{r['disk_mb']:>8.1f} {r['peak_rss_mb']:>11.0f}")
    base = rows[0]["p50_ms"]
    for r in rows[1:]:
        print(f"search p50, {r['corpus']} / plan embedded: {r['p50_ms'] / base:.2f}x")
    print(f"search p50 on the plan / embedding floor: {base / floor:.2f}x")
    if not args.skip_server:
        data = Path(tempfile.mkdtemp(prefix="tracuu-serve-"))
        build(data, CORPUS, e5)
        http_figures(data, floor, args.requests)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
