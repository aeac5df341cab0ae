"""glibc's allocator, set for a server process and its plan workers (a no-op elsewhere than
glibc: musl, macOS).

- **Two arenas.** glibc gives threads that allocate at once arenas of their own (up to 8 per
  core), and keeps what is freed in an arena for that arena: with a pool of threads serving
  years of progress, a worker held tens of MB that nothing used. Two keep it within its memory
  budget (bench/bench_load.py, "memory": 152–159 MB → 132–136 MB RSS); the GIL leaves threads
  little to contend for.
- **Big blocks from the heap.** By default a block over 128 KB gets a mapping of its own,
  unmapped when freed (each unmapping flushes both cores' address caches). A plan's ~500 KB of
  JSON is pickled, piped, read back, unpickled and sent: five fresh mappings a plan. A 500 KB
  answer from a plan worker took ~0.9 ms more than a small one that way, ~0.2 ms from the heap;
  over HTTP a 24-week plan took 5.6 ms instead of 6.2 ms (alternated runs). Blocks up to 8 MB now
  come from the heap, and up to 16 MB freed at its top is kept for the next ones. The mixed-load
  RSS did not move (133–136 MB either way).
"""

import ctypes

# mallopt's parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

ARENAS = 2
MMAP_THRESHOLD_BYTES = 8 << 20
TRIM_THRESHOLD_BYTES = 16 << 20


def tune() -> None:
    """Before the process's threads allocate much."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.mallopt(M_ARENA_MAX, ARENAS)
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
