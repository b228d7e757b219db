// Power loss, simulated: an LD_PRELOAD library that keeps, for every file under POWERLOSS_DIR,
// an undo log of the bytes each write overwrote since the file's last fsync/fdatasync. After the
// process is killed, `PowerLoss.rollback` (reliability/crash.py) applies the logs backwards:
// every file is left as the disk would hold it had the power failed at that moment with nothing
// written since its last sync surviving — the adversary SQLite's own crash tests model first.
//
// What it does not model (docs/reliability.md): writes that reach the disk partially or out of
// order between two syncs, directory entries (a file created or renamed since its directory was
// last synced survives), and memory-mapped writes (SQLite's -shm index, which rollback deletes:
// SQLite rebuilds it from the log).
//
// Environment: POWERLOSS_DIR (the directory whose files are tracked) and POWERLOSS_LOG (where the
// undo logs go: one file per tracked file, named by device and inode).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 65536

struct tracked {
    int undo;       // the undo log's descriptor, -1 when the file is not tracked
    int dirty;      // written since its last sync (the epoch's starting size is logged)
    dev_t dev;      // the file, so that a sync through one descriptor ends the epoch of all
    ino_t ino;
};

static struct tracked fds[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char watched[4096];
static char logs[4096];

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);

static void init(void) {
    real_open = dlsym(RTLD_NEXT, "open");
    real_open64 = dlsym(RTLD_NEXT, "open64");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_openat64 = dlsym(RTLD_NEXT, "openat64");
    real_close = dlsym(RTLD_NEXT, "close");
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_pread = dlsym(RTLD_NEXT, "pread");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
    real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
    const char *dir = getenv("POWERLOSS_DIR");
    const char *log = getenv("POWERLOSS_LOG");
    if (dir && log) {
        snprintf(watched, sizeof watched, "%s", dir);
        snprintf(logs, sizeof logs, "%s", log);
    }
    for (int i = 0; i < MAX_FDS; i++) fds[i].undo = -1;
}

// Appends all of `size` bytes to the undo log (a short write would corrupt it: abort loudly).
static void append(int undo, const void *bytes, size_t size) {
    const char *at = bytes;
    while (size > 0) {
        ssize_t done = real_write(undo, at, size);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) { perror("powerloss: undo log"); abort(); }
        at += done;
        size -= (size_t)done;
    }
}

// A record: kind ('S' the epoch's starting size, 'W' overwritten bytes), offset, length, bytes.
static void record(int undo, char kind, int64_t offset, int64_t length, const void *bytes) {
    append(undo, &kind, 1);
    append(undo, &offset, sizeof offset);
    append(undo, &length, sizeof length);
    if (bytes && length > 0) append(undo, bytes, (size_t)length);
}

static void track(int fd, const char *path) {
    if (fd < 0 || fd >= MAX_FDS || !watched[0] || !path) return;
    char resolved[4096];
    if (!realpath(path, resolved)) return;
    size_t n = strlen(watched);
    if (strncmp(resolved, watched, n) != 0 || (resolved[n] != '/' && resolved[n] != 0)) return;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    char name[4200];
    snprintf(name, sizeof name, "%s/%llu-%llu.undo", logs, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
    pthread_mutex_lock(&lock);
    int undo = real_open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (undo >= 0) {
        struct stat existing;
        if (fstat(undo, &existing) == 0 && existing.st_size == 0) {
            // The header: the tracked file's path, so rollback knows what to restore.
            int64_t length = (int64_t)strlen(resolved);
            record(undo, 'P', 0, length, resolved);
        }
        fds[fd].undo = undo;
        fds[fd].dev = st.st_dev;
        fds[fd].ino = st.st_ino;
        // Another descriptor of the file may be mid-epoch: share its state.
        fds[fd].dirty = 0;
        for (int other = 0; other < MAX_FDS; other++) {
            if (other != fd && fds[other].undo >= 0 && fds[other].dev == st.st_dev && fds[other].ino == st.st_ino) {
                fds[fd].dirty = fds[other].dirty;
                break;
            }
        }
    }
    pthread_mutex_unlock(&lock);
}

// Before `length` bytes at `offset` are written: log what they overwrite.
static void before_write(int fd, off_t offset, size_t length) {
    int undo = fds[fd].undo;
    struct stat st;
    if (fstat(fd, &st) != 0) return;
    if (!fds[fd].dirty) {
        record(undo, 'S', (int64_t)st.st_size, 0, NULL);
        for (int other = 0; other < MAX_FDS; other++) {
            if (fds[other].undo >= 0 && fds[other].dev == st.st_dev && fds[other].ino == st.st_ino) fds[other].dirty = 1;
        }
    }
    if (offset >= st.st_size) return;
    size_t existing = (size_t)(st.st_size - offset) < length ? (size_t)(st.st_size - offset) : length;
    char *old = malloc(existing);
    if (!old) abort();
    ssize_t got = real_pread(fd, old, existing, offset);
    if (got > 0) record(undo, 'W', (int64_t)offset, (int64_t)got, old);
    free(old);
}

static void synced(int fd) {
    int undo = fds[fd].undo;
    // Everything logged for this file is durable now: start a new epoch, for every descriptor.
    if (real_ftruncate(undo, 0) == 0) {
        char link[64], path[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n > 0) {
            path[n] = 0;
            record(undo, 'P', 0, (int64_t)n, path);
        }
    }
    for (int other = 0; other < MAX_FDS; other++) {
        if (fds[other].undo >= 0 && fds[other].dev == fds[fd].dev && fds[other].ino == fds[fd].ino) fds[other].dirty = 0;
    }
}

#define TRACKED(fd) ((fd) >= 0 && (fd) < MAX_FDS && fds[(fd)].undo >= 0)

static int open_common(int (*real)(const char *, int, ...), const char *path, int flags, mode_t mode) {
    int fd = real(path, flags, mode);
    if (fd >= 0 && (flags & (O_WRONLY | O_RDWR))) track(fd, path);
    return fd;
}

int open(const char *path, int flags, ...) {
    pthread_once(&once, init);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    return open_common(real_open, path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    pthread_once(&once, init);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    return open_common(real_open64, path, flags, mode);
}

static int openat_common(int (*real)(int, const char *, int, ...), int dirfd, const char *path, int flags, mode_t mode) {
    int fd = real(dirfd, path, flags, mode);
    if (fd >= 0 && (flags & (O_WRONLY | O_RDWR))) {
        char link[64], resolved[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, resolved, sizeof resolved - 1);
        if (n > 0) { resolved[n] = 0; track(fd, resolved); }
    }
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...) {
    pthread_once(&once, init);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    return openat_common(real_openat, dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    pthread_once(&once, init);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    return openat_common(real_openat64, dirfd, path, flags, mode);
}

int close(int fd) {
    pthread_once(&once, init);
    if (TRACKED(fd)) {
        pthread_mutex_lock(&lock);
        real_close(fds[fd].undo);
        fds[fd].undo = -1;
        pthread_mutex_unlock(&lock);
    }
    return real_close(fd);
}

ssize_t pwrite(int fd, const void *bytes, size_t length, off_t offset) {
    pthread_once(&once, init);
    if (!TRACKED(fd)) return real_pwrite(fd, bytes, length, offset);
    pthread_mutex_lock(&lock);
    before_write(fd, offset, length);
    ssize_t done = real_pwrite(fd, bytes, length, offset);
    pthread_mutex_unlock(&lock);
    return done;
}

ssize_t pwrite64(int fd, const void *bytes, size_t length, off_t offset) {
    pthread_once(&once, init);
    if (!TRACKED(fd)) return real_pwrite64(fd, bytes, length, offset);
    pthread_mutex_lock(&lock);
    before_write(fd, offset, length);
    ssize_t done = real_pwrite64(fd, bytes, length, offset);
    pthread_mutex_unlock(&lock);
    return done;
}

ssize_t write(int fd, const void *bytes, size_t length) {
    pthread_once(&once, init);
    if (!TRACKED(fd)) return real_write(fd, bytes, length);
    pthread_mutex_lock(&lock);
    off_t offset = lseek(fd, 0, SEEK_CUR);
    if (offset >= 0) before_write(fd, offset, length);
    ssize_t done = real_write(fd, bytes, length);
    pthread_mutex_unlock(&lock);
    return done;
}

ssize_t writev(int fd, const struct iovec *vector, int count) {
    pthread_once(&once, init);
    if (!TRACKED(fd)) return real_writev(fd, vector, count);
    pthread_mutex_lock(&lock);
    off_t offset = lseek(fd, 0, SEEK_CUR);
    size_t total = 0;
    for (int i = 0; i < count; i++) total += vector[i].iov_len;
    if (offset >= 0) before_write(fd, offset, total);
    ssize_t done = real_writev(fd, vector, count);
    pthread_mutex_unlock(&lock);
    return done;
}

static int truncate_common(int (*real)(int, off_t), int fd, off_t length) {
    if (!TRACKED(fd)) return real(fd, length);
    pthread_mutex_lock(&lock);
    struct stat st;
    if (fstat(fd, &st) == 0 && length < st.st_size) before_write(fd, length, (size_t)(st.st_size - length));
    else before_write(fd, st.st_size, 0);
    int done = real(fd, length);
    pthread_mutex_unlock(&lock);
    return done;
}

int ftruncate(int fd, off_t length) {
    pthread_once(&once, init);
    return truncate_common(real_ftruncate, fd, length);
}

int ftruncate64(int fd, off_t length) {
    pthread_once(&once, init);
    return truncate_common(real_ftruncate64, fd, length);
}

int fsync(int fd) {
    pthread_once(&once, init);
    int done = real_fsync(fd);
    if (done == 0 && TRACKED(fd)) {
        pthread_mutex_lock(&lock);
        synced(fd);
        pthread_mutex_unlock(&lock);
    }
    return done;
}

int fdatasync(int fd) {
    pthread_once(&once, init);
    int done = real_fdatasync(fd);
    if (done == 0 && TRACKED(fd)) {
        pthread_mutex_lock(&lock);
        synced(fd);
        pthread_mutex_unlock(&lock);
    }
    return done;
}
