/* Status codes, status structs and message formatting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char rapport_empty_string[] = "";
static char out_of_memory[] = "out of memory";

static const char *const code_names[] = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

const char *rapport_status_code_name(rapport_status_code code)
{
    if ((int)code < 0 || (size_t)code >= sizeof code_names / sizeof code_names[0])
        return "UNKNOWN";
    return code_names[code];
}

rapport_status_code rapport_code_from_wire(int32_t code)
{
    if (code < 0 || code > 16)
        return RAPPORT_STATUS_UNKNOWN;
    return (rapport_status_code)code;
}

static void free_string(char *s)
{
    if (s != NULL && s != rapport_empty_string && s != out_of_memory)
        free(s);
}

void rapport_status_clear(rapport_status *status)
{
    if (status == NULL)
        return;
    free_string(status->message);
    for (size_t i = 0; i < status->n_trailers; i++) {
        free((char *)status->trailers[i].key);
        free((char *)status->trailers[i].value);
    }
    free(status->trailers);
    status->code = RAPPORT_STATUS_OK;
    status->message = NULL;
    status->n_trailers = 0;
    status->trailers = NULL;
}

const char *rapport_status_trailer(const rapport_status *status, const char *key)
{
    if (status == NULL || key == NULL)
        return NULL;
    for (size_t i = 0; i < status->n_trailers; i++)
        if (strcmp(status->trailers[i].key, key) == 0)
            return status->trailers[i].value;
    return NULL;
}

static char *copy_string(const char *s)
{
    if (s == NULL || s[0] == '\0')
        return rapport_empty_string;
    char *copy = strdup(s);
    return copy != NULL ? copy : out_of_memory;
}

void rapport_status_set(rapport_status *status, rapport_status_code code, const char *message)
{
    if (status == NULL)
        return;
    rapport_status_clear(status);
    status->code = code;
    status->message = copy_string(message);
}

char *rapport_vformat(const char *format, va_list args)
{
    va_list again;
    va_copy(again, args);
    int n = vsnprintf(NULL, 0, format, args);
    char *s = NULL;
    if (n >= 0 && (s = malloc((size_t)n + 1)) != NULL)
        vsnprintf(s, (size_t)n + 1, format, again);
    va_end(again);
    return s;
}

char *rapport_format(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *s = rapport_vformat(format, args);
    va_end(args);
    return s;
}

void rapport_status_setf(rapport_status *status, rapport_status_code code, const char *format, ...)
{
    if (status == NULL)
        return;
    rapport_status_clear(status);
    va_list args;
    va_start(args, format);
    char *s = rapport_vformat(format, args);
    va_end(args);
    status->code = code;
    status->message = s != NULL ? s : out_of_memory;
}

rapport_status_code rapport_fail(rapport_status *status, rapport_status_code code, const char *format, ...)
{
    if (status == NULL)
        return code;
    rapport_status_clear(status);
    va_list args;
    va_start(args, format);
    char *s = rapport_vformat(format, args);
    va_end(args);
    status->code = code;
    status->message = s != NULL ? s : out_of_memory;
    return code;
}

void rapport_status_copy(rapport_status *status, const rapport_status *from)
{
    if (status == NULL || status == from)
        return;
    rapport_status_set(status, from->code, from->message);
    if (from->n_trailers == 0)
        return;
    status->trailers = calloc(from->n_trailers, sizeof *status->trailers);
    if (status->trailers == NULL)
        return;
    for (size_t i = 0; i < from->n_trailers; i++) {
        char *key = strdup(from->trailers[i].key);
        char *value = strdup(from->trailers[i].value);
        if (key == NULL || value == NULL) {
            free(key);
            free(value);
            break;
        }
        status->trailers[i].key = key;
        status->trailers[i].value = value;
        status->n_trailers = i + 1;
    }
}
