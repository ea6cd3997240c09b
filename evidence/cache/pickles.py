"""Unpickling many small objects fast: the cache's one way to read a pickle it has sealed."""

from __future__ import annotations

import gc
import pickle
from typing import Any


def unpickle(data: bytes | memoryview, *, freeze: bool) -> Any:
    """`pickle.load` with the cyclic garbage collector paused.

    Unpickling 10,000 claims creates some 500,000 objects, and each collection they set off
    scanned all of them again: most of the loading time. `freeze` (for a process that exits
    after one load, see `Cache`) also moves them, and everything alive, out of the
    collector's reach for good (`gc.freeze`), after collecting what is garbage already.
    """
    if freeze:
        gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
