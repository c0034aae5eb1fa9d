"""Imported once by the forkserver whose children read uploads (``service.isolation``), never
by the server itself: what every child needs is loaded here, before the fork.

- underthesea imports its translation pipeline, and with it torch and transformers (11 s,
  200 MB), as soon as it is imported; reading a document never translates. This process
  hides those two packages, so underthesea leaves ``translate`` unset, as it does where
  they are not installed: the forkserver is ready in 4 s and a child starts at 150 MB.
- The readers are imported and one short text is parsed, so underthesea's models are loaded.
- pypdf's warnings are silenced here as in the server (``service.app.quiet_libraries``): the
  children read the PDFs, and their log is the server's.
- ``service.cli``: the server's main module, which multiprocessing imports again in every
  child; its imports are loaded here once.
"""

from __future__ import annotations

import importlib.abc
import sys

_HIDDEN = ("torch", "transformers")


class _Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in _HIDDEN:
            raise ModuleNotFoundError(f"{name} is not needed to read documents", name=name)
        return None


sys.meta_path.insert(0, _Hide())

import service.cli  # noqa: E402, F401
from ingest.pipeline import parse_bytes  # noqa: E402 - after the finder above
from service.app import quiet_libraries  # noqa: E402

quiet_libraries()

parse_bytes("KẾ HOẠCH\nI. NHIỆM VỤ\n1. Sở Tài chính chủ trì bố trí kinh phí.\n".encode(), "khoi-dong.txt")
