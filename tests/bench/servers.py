"""Real servers on 127.0.0.1 for tests and benchmarks, and a bounded HTTP load generator.

- ``Server``: `tracuu serve` on a free loopback port;
- ``ChromaServer``: `chroma run` on a free loopback port (server mode);
- ``load``: an asyncio httpx client sending a bounded number of requests with N clients.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`chroma run` with its data in ``path``; ``url`` is what TRACUU_CHROMA_URL takes."""

    def __init__(self, path: Path):
        self.path, self.port = path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ChromaServer:
        exe = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port",
                                      str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError("chroma run did not start within 60 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Server:
    """`tracuu serve` on a free loopback port, for the length of a ``with`` block."""

    def __init__(self, data: Path, corpus: Path, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "TRACUU_DATA_DIR": str(data), "TRACUU_CORPUS_DIR": str(corpus), **(extra_env or {})}

    def __enter__(self) -> Server:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.perf_counter() - self.started < 120:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    self.ready_s = time.perf_counter() - self.started
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("server did not become ready in 120 s")

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


async def _load(url: str, path: str, queries: list[str], clients: int, total: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            t = time.perf_counter()
            r = await http.get(f"{url}{path}", params={"q": queries[i % len(queries)]})
            latencies.append((time.perf_counter() - t) * 1000)
            errors += r.status_code != 200

    async with httpx.AsyncClient(timeout=30) as http:
        for q in queries[:5]:  # warm
            await http.get(f"{url}{path}", params={"q": q})
        t = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        wall = time.perf_counter() - t
    return latencies, wall, errors


def load(url: str, path: str, queries: list[str], clients: int, total: int) -> dict:
    lat, wall, errors = asyncio.run(_load(url, path, queries, clients, total))
    lat.sort()
    return {"p50": lat[len(lat) // 2], "p95": lat[int(len(lat) * 0.95) - 1], "rps": total / wall, "errors": errors}
