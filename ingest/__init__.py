"""From files to document trees: read → normalise → parse outline → tokens.

Pure: bytes in, ``Document`` out; no index, no network.
"""

import sys

# underthesea's package init imports each of its optional pipelines whose dependencies are
# installed. With torch and transformers present (the sentence-transformers extra) its
# translation model's code alone took 3 s and about 250 MB in every process that tokenises,
# for functions this project never calls. A module marked absent in ``sys.modules`` fails to
# import, and underthesea's init skips what fails to import; word and sentence tokenisation,
# POS tagging and text normalisation (all we use) are untouched.
for _name in ("translate", "classification", "sentiment", "lang_detect", "dependency_parse"):
    sys.modules.setdefault(f"underthesea.pipeline.{_name}", None)
sys.modules.setdefault("underthesea.agent", None)
sys.modules.setdefault("underthesea.address", None)
