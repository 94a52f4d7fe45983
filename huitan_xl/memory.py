"""Memory freed by a big read handed back to the system before the next big step.

glibc keeps freed blocks for reuse, yet Python's objects (pymalloc arenas) and the
writer's part buffers are allocated apart and cannot reuse them: on the hard 100k
register python-calamine's cell range of 诉求台账 (freed once its rows are Python lists)
and the read's records (freed before the write) would each stay resident, about 100 MB.
"""
from __future__ import annotations

import sys

BIG_WORKBOOK = 4 << 20  # bytes on disk: below this a job's read leaves little behind
BIG_GRID = 20_000  # rows of one sheet read


def release_freed_memory() -> None:
    """malloc_trim(0) on glibc; nothing elsewhere (Windows, macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # a C library without malloc_trim
        pass
