"""The identity of a file's bytes, shared by the loader (a file read again) and the cache (its keys)."""

from __future__ import annotations

import hashlib


def file_digest(data: bytes) -> str:
    """The claim cache's key, and how a file read again is known unchanged."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
