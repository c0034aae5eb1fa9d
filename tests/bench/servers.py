"""Real servers on 127.0.0.1 for tests and benchmarks, and a bounded HTTP load generator.

- ``Server``: `tracuu serve` on a free loopback port;
- ``ChromaServer``: `chroma run` on a free loopback port (server mode);
- ``wrk``: latency and throughput with N connections for a fixed time (the wrk load generator).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

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

    def __init__(self, data: Path, corpus: Path, extra_env: dict | None = None, workers: int = 1):
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "TRACUU_DATA_DIR": str(data), "TRACUU_CORPUS_DIR": str(corpus), **(extra_env or {})}

    def __enter__(self) -> Server:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(self.port),
                                      "--workers", str(self.workers)],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.perf_counter() - self.started < 300:  # 100,000 clauses take a while to load
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    self.ready_s = time.perf_counter() - self.started
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("server did not become ready in 300 s")

    def rss_mb(self) -> float:
        """Peak RSS of the server, summed over its worker processes when it has several."""
        def hwm(pid: int) -> int:
            status = Path(f"/proc/{pid}/status").read_text()
            return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])

        pid = self.proc.pid
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        workers = [c for c in children if "resource_tracker" not in Path(f"/proc/{c}/cmdline").read_text()]
        return (hwm(pid) + sum(hwm(c) for c in workers if self.workers > 1)) / 1024

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout))
  io.write(string.format("WRK-LAT %%d %%d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


def wrk(url: str, path: str, queries: list[str], clients: int, seconds: int) -> dict:
    """Load ``url + path?q=<query>`` with ``clients`` connections for ``seconds``, cycling
    through ``queries``, with wrk (Debian's package; `make bench` installs it)."""
    paths = ", ".join(f'"{path}?q={quote_plus(q)}"' for q in queries)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % paths)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    requests, duration_us, errors = (int(x) for x in next(ln for ln in out.splitlines() if ln.startswith("WRK ")).split()[1:])
    p50, p95 = (int(x) / 1000 for x in next(ln for ln in out.splitlines() if ln.startswith("WRK-LAT")).split()[1:])
    return {"p50": p50, "p95": p95, "rps": requests / (duration_us / 1e6), "errors": errors, "requests": requests}
