"""``make bench``: the figures of docs/benchmarks.md. Prints numbers; asserts nothing
(machines are noisy; compare ratios taken in one run).

For the plan and for seeded generated corpora of each ``--sizes``:

- ingest with `tracuu ingest` in a child process: seconds, clauses/s, the child's peak RSS,
  then a second, unchanged ingest (the whole command, start-up included);
- index size on disk, time to open the index, in-process search p50/p95;
- with ``--chroma-server``, the same index moved to a `chroma run` server (its vectors are
  re-used, so that row times the store, not the embedding) and searched there;
- over HTTP (`tracuu serve`, loopback, ``wrk``): /api/search, /api/ask and the page
  ``/?q=`` at 1 and 8 clients on the plan, /api/search on each generated corpus, and the server's peak RSS;
- the floor: the time to embed one query.

``--keep DIR`` keeps corpora and indexes under DIR: a later run finds them unchanged and
reports the first ingest's figures from DIR/<corpus>/first-ingest.json (100,000 clauses
take more than an hour to embed on 2 cores).

Usage: python -m tests.bench.run [--sizes 1000,10000,100000] [--keep bench-data] [--chroma-server]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from index.build.store import read_manifest
from index.engine import Engine, Options
from index.retrieval.embedders import create_embedder
from index.retrieval.query import analyze
from tests.bench.generate import generate
from tests.bench.servers import ChromaServer, Server, wrk

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "corpus"
QUERIES = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/gold.yaml").read_text(encoding="utf-8"))["questions"]]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def ingest(corpus: Path, data: Path, chroma_url: str | None = None) -> tuple[float, float]:
    """`tracuu ingest` as a user runs it: (wall seconds, the child's peak RSS in MB)."""
    env = {**os.environ, "TRACUU_DATA_DIR": str(data), "TRACUU_CORPUS_DIR": str(corpus)}
    env.pop("TRACUU_CHROMA_URL", None)
    env.update({"TRACUU_CHROMA_URL": chroma_url} if chroma_url else {})
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: progress bars would fill a pipe and stall
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", "ingest"], env=env, stdout=subprocess.DEVNULL,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage: its peak RSS
        seconds = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise RuntimeError(f"tracuu ingest failed ({proc.returncode}): {err.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def first_ingest(corpus: Path, data: Path, chroma_url: str | None = None) -> dict:
    """Ingest once; with a kept data dir, the recorded figures of the ingest that built it."""
    record = data / "first-ingest.json"
    if record.exists() and read_manifest(data):
        return {**json.loads(record.read_text()), "kept": True}
    seconds, rss = ingest(corpus, data, chroma_url)
    out = {"ingest_s": seconds, "ingest_rss_mb": rss, "date": time.strftime("%Y-%m-%d %H:%M")}
    record.write_text(json.dumps(out))
    return {**out, "kept": False}


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


def measure(name: str, corpus: Path, data: Path, embedder, repeat: int, chroma_url: str | None = None) -> dict:
    first = first_ingest(corpus, data, chroma_url)
    reingest_s, _ = ingest(corpus, data, chroma_url)
    manifest = read_manifest(data)
    t = time.perf_counter()
    engine = Engine.open(Options(data, corpus, chroma_url=chroma_url, query_cache=0), embedder)  # every search embeds
    open_s = time.perf_counter() - t
    p50, p95 = latency(engine, repeat)
    clauses = sum(m["clauses"] for m in manifest["documents"].values())
    disk = sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 2**20  # server mode: without the server's
    return {"corpus": name, "clauses": clauses, **first, "clauses_per_s": clauses / first["ingest_s"],
            "reingest_s": reingest_s, "open_s": open_s, "p50_ms": p50, "p95_ms": p95, "disk_mb": disk}


def move_to_server(data: Path, server_data: Path) -> None:
    """A copy of an embedded index (generations, manifest) for server mode; its first
    ingest moves the vectors into the Chroma server without embedding them again."""
    if read_manifest(server_data):
        return
    server_data.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data / "gen", server_data / "gen")
    shutil.copy(data / "manifest.json", server_data / "manifest.json")


def embed_floor(embedder) -> float:
    times = []
    for q in QUERIES:
        t = time.perf_counter()
        embedder.query(q)
        times.append((time.perf_counter() - t) * 1000)
    return pct(times, 50)


def http_figures(name: str, data: Path, corpus: Path, floor: float, seconds: int, runs: list[tuple[str, int]],
                 env: dict | None = None, workers: int = 1) -> list[dict]:
    """Start to ready, latency and throughput over HTTP with wrk, the server's peak RSS.

    ``runs``: (endpoint, query cache size). With the cache off every request embeds its
    question (the gold questions repeat within a run); with it on, a repeated question
    does not, as in a service that is asked the same questions again."""
    rows = []
    for cache in dict.fromkeys(c for _, c in runs):
        with Server(data, corpus, {**(env or {}), "TRACUU_QUERY_CACHE": str(cache)}, workers) as srv:
            label = name + (", cache on" if cache else "") + (f", {workers} workers" if workers > 1 else "")
            for path in (p for p, c in runs if c == cache):
                for clients in (1, 8):
                    r = wrk(srv.url, path, QUERIES, clients, seconds)
                    rows.append({"corpus": label, "endpoint": path, "clients": clients, **r,
                                 "floor_ratio": r["p50"] / floor, "ready_s": srv.ready_s})
            rss = srv.rss_mb()
            for r in rows:
                r.setdefault("rss_mb", rss)
    return rows


def print_tables(floor: float, rows: list[dict], http: list[dict]) -> None:
    print(f"\nmachine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"one-query embedding floor (e5, p50): {floor:.1f} ms")
    print(f"{'corpus':24} {'clauses':>8} {'ingest s':>9} {'cl/s':>6} {'ingest RSS MB':>13} {'re-ingest s':>11} "
          f"{'open s':>7} {'p50 ms':>7} {'p95 ms':>7} {'disk MB':>8}")
    for r in rows:
        kept = f"  (ingested {r['date']})" if r["kept"] else ""
        rate = "–" if "moved" in r["corpus"] else f"{r['clauses_per_s']:.0f}"  # a move embeds nothing
        print(f"{r['corpus']:24} {r['clauses']:>8} {r['ingest_s']:>9.1f} {rate:>6} "
              f"{r['ingest_rss_mb']:>13.0f} {r['reingest_s']:>11.2f} {r['open_s']:>7.2f} {r['p50_ms']:>7.1f} "
              f"{r['p95_ms']:>7.1f} {r['disk_mb']:>8.1f}{kept}")
    by_name = {r["corpus"]: r for r in rows}
    for r in rows:  # each generated size against 1,000 clauses in the same mode
        size, _, mode = r["corpus"].removeprefix("generated ").partition(",")
        base = by_name.get("generated 1000" + (f",{mode}" if mode else ""))
        if r["corpus"].startswith("generated") and base and r is not base:
            print(f"search p50, {r['corpus']} / 1000 clauses: {r['p50_ms'] / base['p50_ms']:.2f}x")
    print(f"search p50 on the plan / embedding floor: {rows[0]['p50_ms'] / floor:.2f}x")
    if http:
        print(f"\n{'HTTP (wrk)':24} {'endpoint':12} {'clients':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} "
              f"{'errors':>6} {'p50/floor':>9} {'ready s':>7} {'server RSS MB':>13}")
        for r in http:
            print(f"{r['corpus']:24} {r['endpoint']:12} {r['clients']:>7} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                  f"{r['rps']:>7.1f} {r['errors']:>6} {r['floor_ratio']:>9.2f} {r['ready_s']:>7.1f} {r['rss_mb']:>13.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000", help="generated corpus sizes, comma-separated")
    ap.add_argument("--keep", type=Path, help="keep corpora and indexes here, and re-use them in later runs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-server", action="store_true", help="no HTTP figures")
    ap.add_argument("--seconds", type=int, default=10, help="length of each HTTP load run")
    ap.add_argument("--chroma-server", action="store_true", help="also measure against a `chroma run` server")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="tracuu-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    e5 = create_embedder("e5")
    floor = embed_floor(e5)
    analyze("khởi động")  # loads underthesea's models, so "open s" times opening an index
    corpora = [("plan", CORPUS, root / "plan" / "data")]
    for n in (int(x) for x in args.sizes.split(",") if x):
        folder = root / f"generated-{n}"
        generate(folder / "corpus", n)  # seeded: the same bytes every run, so a kept index stays valid
        corpora.append((f"generated {n}", folder / "corpus", folder / "data"))
    rows = [measure(name, corpus, data, e5, args.repeat) for name, corpus, data in corpora]
    http = []
    if not args.skip_server:
        plan_runs = [("/api/search", 0), ("/api/ask", 0), ("/", 0), ("/api/search", 1024)]  # "/": the page, answer and results
        for i, (name, corpus, data) in enumerate(corpora):
            http += http_figures(name, data, corpus, floor, args.seconds, plan_runs if i == 0 else [("/api/search", 0)])
    if args.chroma_server:
        with ChromaServer(root / "chroma-server") as chroma:
            for name, corpus, data in corpora:
                server_data = data.with_name("data-server")
                move_to_server(data, server_data)
                rows.append(measure(f"{name}, server (moved)", corpus, server_data, e5, args.repeat, chroma.url))
            if not args.skip_server:  # the plan again, served by one and by two processes sharing the server
                name, corpus, data = corpora[0]
                for workers in (1, 2):
                    http += http_figures(f"{name}, Chroma server", data.with_name("data-server"), corpus, floor,
                                         args.seconds, [("/api/search", 0)], {"TRACUU_CHROMA_URL": chroma.url}, workers)
    print_tables(floor, rows, http)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
