#include "CRapportAllocator.h"

#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int rapport_tune_allocator(int arenas) {
    int set = 0;
#if defined(__GLIBC__)
    // 128 KiB, glibc's default starting value for both: blocks this large and up are mapped and
    // unmapped on their own, and free memory above the heap's top is returned beyond it.
    if (!getenv("MALLOC_MMAP_THRESHOLD_") && mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1) set++;
    if (!getenv("MALLOC_TRIM_THRESHOLD_") && mallopt(M_TRIM_THRESHOLD, 128 * 1024) == 1) set++;
    if (arenas > 0 && !getenv("MALLOC_ARENA_MAX") && mallopt(M_ARENA_MAX, arenas) == 1) set++;
#else
    (void)arenas;
#endif
    return set;
}
