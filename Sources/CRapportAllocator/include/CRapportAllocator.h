#ifndef C_RAPPORT_ALLOCATOR_H
#define C_RAPPORT_ALLOCATOR_H

/// Makes glibc's allocator give memory back: a fixed mmap threshold (glibc otherwise raises it
/// after each large block is freed, so later large requests come from the heap and stay there),
/// a fixed trim threshold, and at most `arenas` arenas. A parameter the environment already sets
/// (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_ARENA_MAX) is left as the operator set
/// it. Returns how many parameters were set; does nothing off glibc.
int rapport_tune_allocator(int arenas);

#endif
