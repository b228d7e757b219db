/* Finding the bearer token a connection sends: explicit, RAPPORT_TOKEN, RAPPORT_TOKEN_FILE, then the
 * local admin credential a daemon without principals writes into its data directory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Tokens are "rapport_" + 43 characters; anything much longer is not a token file. */
#define MAX_TOKEN_FILE_BYTES 4096

/* Whether host names this machine: only then is the local admin credential offered, so that it
 * never goes to another host. */
static bool is_loopback(const char *host)
{
    return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "[::1]") == 0;
}

/* Reads the token in path (trailing whitespace removed). Returns 0 and sets *token, ENOENT when
 * there is no such file, or another errno / EINVAL (empty or oversized file). */
static int read_token_file(const char *path, char **token)
{
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return errno;
    char *buffer = malloc(MAX_TOKEN_FILE_BYTES + 1);
    if (buffer == NULL) {
        fclose(file);
        return ENOMEM;
    }
    size_t n = fread(buffer, 1, MAX_TOKEN_FILE_BYTES + 1, file);
    int failed = ferror(file);
    fclose(file);
    if (failed || n > MAX_TOKEN_FILE_BYTES) {
        free(buffer);
        return failed ? EIO : EINVAL;
    }
    while (n > 0 && (buffer[n - 1] == '\n' || buffer[n - 1] == '\r' || buffer[n - 1] == ' ' || buffer[n - 1] == '\t'))
        n--;
    buffer[n] = '\0';
    if (n == 0 || strlen(buffer) != n) {
        free(buffer);
        return EINVAL;
    }
    *token = buffer;
    return 0;
}

static rapport_status_code file_failure(rapport_status *status, const char *what, const char *path, int error)
{
    if (error == EINVAL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "%s %s holds no token", what, path);
    return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "%s %s cannot be read: %s", what, path,
                        strerror(error));
}

rapport_status_code rapport_find_credential(const char *host, const char *token, const char *data_dir,
                                            char **found, rapport_status *status)
{
    if (found == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_find_credential: found is NULL");
    *found = NULL;
    const char *chosen = token;
    if (chosen == NULL || chosen[0] == '\0')
        chosen = getenv("RAPPORT_TOKEN");
    if (chosen != NULL && chosen[0] != '\0') {
        *found = strdup(chosen);
        if (*found == NULL)
            return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        rapport_status_set(status, RAPPORT_STATUS_OK, "");
        return RAPPORT_STATUS_OK;
    }
    const char *token_file = getenv("RAPPORT_TOKEN_FILE");
    if (token_file != NULL && token_file[0] != '\0') {
        /* Named explicitly, so a file that cannot be read is an error, not a silent fallback. */
        int error = read_token_file(token_file, found);
        if (error != 0)
            return file_failure(status, "RAPPORT_TOKEN_FILE", token_file, error);
        rapport_status_set(status, RAPPORT_STATUS_OK, "");
        return RAPPORT_STATUS_OK;
    }
    if (host != NULL && is_loopback(host)) {
        const char *dir = data_dir != NULL && data_dir[0] != '\0' ? data_dir : RAPPORT_DEFAULT_DATA_DIR;
        size_t length = strlen(dir) + sizeof "/local-admin.token";
        char *path = malloc(length);
        if (path == NULL)
            return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        snprintf(path, length, "%s/local-admin.token", dir);
        int error = read_token_file(path, found);
        if (error != 0 && error != ENOENT) {
            rapport_status_code code = file_failure(status, "the local admin credential", path, error);
            free(path);
            return code;
        }
        free(path);
    }
    rapport_status_set(status, RAPPORT_STATUS_OK, "");
    return RAPPORT_STATUS_OK;
}
