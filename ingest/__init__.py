"""From files to document trees: read → normalise → parse outline → tokens.

Pure: bytes in, ``Document`` out; no index, no network.
"""
