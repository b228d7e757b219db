/* Calls: start, wait, next/finish, deadline, cancel, free. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------------------------
 * Queue and ending
 * ------------------------------------------------------------------------------------ */

int rapport_call_enqueue(rapport_call *call, const uint8_t *data, size_t len)
{
    queued_message *q = malloc(sizeof *q + len);
    if (q == NULL)
        return -1;
    q->next = NULL;
    q->msg.data = q->data;
    q->msg.len = len;
    if (len > 0)
        memcpy(q->data, data, len);
    if (call->tail != NULL)
        call->tail->next = q;
    else
        call->head = q;
    call->tail = q;
    return 0;
}

static rapport_message *dequeue(rapport_call *call)
{
    queued_message *q = call->head;
    if (q == NULL)
        return NULL;
    call->head = q->next;
    if (call->head == NULL)
        call->tail = NULL;
    q->next = NULL;
    return &q->msg;
}

void rapport_message_free(rapport_message *message)
{
    if (message == NULL)
        return;
    free((char *)message - offsetof(queued_message, msg));
}

void rapport_call_drop_queue(rapport_call *call)
{
    rapport_message *m;
    while ((m = dequeue(call)) != NULL)
        rapport_message_free(m);
}

void rapport_call_end(rapport_call *call, rapport_status_code code, const char *message,
                      size_t n_trailers, Rapport__Wire__V1__Response__TrailersEntry **trailers)
{
    call->done = true;
    rapport_status_set(&call->final, code, message);
    if (n_trailers == 0)
        return;
    call->final.trailers = calloc(n_trailers, sizeof *call->final.trailers);
    if (call->final.trailers == NULL)
        return;
    for (size_t i = 0; i < n_trailers; i++) {
        char *key = strdup(trailers[i]->key != NULL ? trailers[i]->key : "");
        char *value = strdup(trailers[i]->value != NULL ? trailers[i]->value : "");
        if (key == NULL || value == NULL) {
            free(key);
            free(value);
            break;
        }
        call->final.trailers[i].key = key;
        call->final.trailers[i].value = value;
        call->final.n_trailers = i + 1;
    }
}

void rapport_call_abort(rapport_call *call, rapport_status_code code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = rapport_vformat(format, args);
    va_end(args);
    bool was_running = !call->done;
    rapport_call_drop_queue(call);
    rapport_call_end(call, code, message != NULL ? message : "call aborted", 0, NULL);
    free(message);
    if (was_running && call->conn != NULL)
        rapport_conn_queue_cancel(call->conn, call->id);
}

static void expire(rapport_call *call)
{
    /* Messages that arrived in time stay queued and are delivered before the failure. */
    call->done = true;
    rapport_status_setf(&call->final, RAPPORT_STATUS_DEADLINE_EXCEEDED,
                        "deadline of %u ms exceeded (enforced by the client)", (unsigned)call->timeout_ms);
    rapport_conn_queue_cancel(call->conn, call->id);
}

/* Runs the connection until the call has a message queued (or, with until_done, has ended). */
static void wait_for(rapport_call *call, bool until_done)
{
    while (!call->done && (until_done || call->head == NULL)) {
        if (call->conn == NULL) { /* cannot happen: closing ends every call */
            rapport_call_end(call, RAPPORT_STATUS_UNAVAILABLE, "connection closed by the client", 0, NULL);
            break;
        }
        if (call->deadline_us >= 0 && rapport_now_us() >= call->deadline_us) {
            expire(call);
            break;
        }
        if (rapport_conn_pump(call->conn, call->deadline_us) == PUMP_FAILED && !call->done) {
            /* rapport_conn_fail ends every call; this only guards against spinning. */
            rapport_call_end(call, RAPPORT_STATUS_UNAVAILABLE, "connection failed", 0, NULL);
            break;
        }
    }
}

/* ------------------------------------------------------------------------------------
 * Public call API
 * ------------------------------------------------------------------------------------ */

rapport_status_code rapport_call_start(rapport_conn *conn, const char *method, rapport_call_type type,
                                       const void *payload, size_t payload_len,
                                       const rapport_call_options *options, rapport_call **call,
                                       rapport_status *status)
{
    if (call == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start: call is NULL");
    *call = NULL;
    if (conn == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start: conn is NULL");
    if (method == NULL || method[0] == '\0')
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start: no method given");
    if (payload == NULL && payload_len > 0)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start: payload is NULL");
    if (type != RAPPORT_CALL_UNARY && type != RAPPORT_CALL_SERVER_STREAMING)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start: unknown call type %d",
                            (int)type);
    rapport_call_options defaults = RAPPORT_CALL_OPTIONS_INIT;
    if (options == NULL)
        options = &defaults;
    if (options->n_metadata > 0 && options->metadata == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start: metadata is NULL");
    for (size_t i = 0; i < options->n_metadata; i++)
        if (options->metadata[i].key == NULL || options->metadata[i].value == NULL)
            return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT,
                                "rapport_call_start: metadata entry %zu has a NULL key or value", i);
    /* Notice a GoAway or a close that is already waiting (e.g. after the idle timeout) before sending. */
    if (!conn->failed && !conn->goaway)
        rapport_conn_pump(conn, rapport_now_us());
    rapport_status_code unusable = rapport_conn_unusable(conn, status);
    if (unusable != RAPPORT_STATUS_OK)
        return unusable;

    /* The connection's credential, unless the call brings its own. */
    bool add_authorization = conn->authorization != NULL;
    for (size_t i = 0; i < options->n_metadata && add_authorization; i++)
        if (strcmp(options->metadata[i].key, "authorization") == 0)
            add_authorization = false;
    size_t n_entries = options->n_metadata + (add_authorization ? 1 : 0);

    rapport_call *c = calloc(1, sizeof *c);
    Rapport__Wire__V1__Request__MetadataEntry *entries = NULL;
    Rapport__Wire__V1__Request__MetadataEntry **entry_ptrs = NULL;
    if (n_entries > 0) {
        entries = calloc(n_entries, sizeof *entries);
        entry_ptrs = calloc(n_entries, sizeof *entry_ptrs);
    }
    if (c == NULL || (n_entries > 0 && (entries == NULL || entry_ptrs == NULL))) {
        free(c);
        free(entries);
        free(entry_ptrs);
        return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory starting a call");
    }
    for (size_t i = 0; i < options->n_metadata; i++) {
        Rapport__Wire__V1__Request__MetadataEntry init = RAPPORT__WIRE__V1__REQUEST__METADATA_ENTRY__INIT;
        entries[i] = init;
        entries[i].key = (char *)options->metadata[i].key;
        entries[i].value = (char *)options->metadata[i].value;
        entry_ptrs[i] = &entries[i];
    }
    if (add_authorization) {
        Rapport__Wire__V1__Request__MetadataEntry init = RAPPORT__WIRE__V1__REQUEST__METADATA_ENTRY__INIT;
        size_t last = options->n_metadata;
        entries[last] = init;
        entries[last].key = (char *)"authorization";
        entries[last].value = conn->authorization;
        entry_ptrs[last] = &entries[last];
    }
    Rapport__Wire__V1__Request request = RAPPORT__WIRE__V1__REQUEST__INIT;
    request.call_id = conn->next_call_id;
    request.method = (char *)method;
    request.timeout_ms = options->timeout_ms;
    request.n_metadata = n_entries;
    request.metadata = entry_ptrs;
    request.payload.data = (uint8_t *)payload;
    request.payload.len = payload_len;
    Rapport__Wire__V1__Frame frame = RAPPORT__WIRE__V1__FRAME__INIT;
    frame.kind_case = RAPPORT__WIRE__V1__FRAME__KIND_REQUEST;
    frame.request = &request;

    int64_t now = rapport_now_us();
    size_t size = 0;
    int queued = rapport_conn_queue_frame(conn, &frame, &size);
    free(entries);
    free(entry_ptrs);
    if (queued != 0) {
        free(c);
        if (size > conn->max_frame_size)
            return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED,
                                "the request frame of %zu bytes (payload %zu bytes) exceeds the frame limit of "
                                "%u bytes; it was not sent",
                                size, payload_len, conn->max_frame_size);
        return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory queueing the request");
    }
    c->conn = conn;
    c->id = conn->next_call_id++;
    c->type = type;
    c->timeout_ms = options->timeout_ms;
    c->deadline_us = options->timeout_ms > 0 ? now + (int64_t)options->timeout_ms * 1000 : -1;
    c->next = conn->calls;
    if (conn->calls != NULL)
        conn->calls->prev = c;
    conn->calls = c;
    *call = c;

    /* Write the request; a failure while writing ends the call and shows in next/finish. */
    rapport_conn_flush(conn, c->deadline_us);
    rapport_status_set(status, RAPPORT_STATUS_OK, "");
    return RAPPORT_STATUS_OK;
}

rapport_status_code rapport_call_next(rapport_call *call, rapport_message **message, rapport_status *status)
{
    if (message == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_next: message is NULL");
    *message = NULL;
    if (call == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_next: call is NULL");
    wait_for(call, false);
    if (call->head != NULL) {
        *message = dequeue(call);
        rapport_status_set(status, RAPPORT_STATUS_OK, "");
        return RAPPORT_STATUS_OK;
    }
    rapport_status_copy(status, &call->final);
    return call->final.code;
}

/* Waits for a unary call's end; returns its code and response (not freeing the call). */
static rapport_status_code finish_raw(rapport_call *call, rapport_message **response, rapport_status *status)
{
    *response = NULL;
    if (call->type != RAPPORT_CALL_UNARY)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT,
                            "rapport_call_finish is for unary calls; read a stream with rapport_call_next");
    wait_for(call, true);
    if (call->final.code == RAPPORT_STATUS_OK) {
        *response = dequeue(call);
        if (*response == NULL)
            return rapport_fail(status, RAPPORT_STATUS_INTERNAL, "the call ended without a response message");
    }
    rapport_status_copy(status, &call->final);
    return call->final.code;
}

rapport_status_code rapport_call_finish(rapport_call *call, rapport_message **response, rapport_status *status)
{
    if (response == NULL) {
        rapport_call_free(call);
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_finish: response is NULL");
    }
    *response = NULL;
    if (call == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_finish: call is NULL");
    rapport_status_code code = finish_raw(call, response, status);
    rapport_call_free(call);
    return code;
}

void rapport_call_cancel(rapport_call *call)
{
    if (call == NULL || call->done)
        return;
    rapport_call_abort(call, RAPPORT_STATUS_CANCELLED, "call cancelled by the client");
}

void rapport_call_free(rapport_call *call)
{
    if (call == NULL)
        return;
    rapport_call_cancel(call);
    if (call->conn != NULL) {
        if (call->prev != NULL)
            call->prev->next = call->next;
        else
            call->conn->calls = call->next;
        if (call->next != NULL)
            call->next->prev = call->prev;
    }
    rapport_call_drop_queue(call);
    rapport_status_clear(&call->final);
    free(call);
}

uint64_t rapport_call_id(const rapport_call *call)
{
    return call != NULL ? call->id : 0;
}

bool rapport_call_done(const rapport_call *call)
{
    return call == NULL || call->done;
}

rapport_status_code rapport_unary_call(rapport_conn *conn, const char *method, const void *payload,
                                       size_t payload_len, const rapport_call_options *options,
                                       rapport_message **response, rapport_status *status)
{
    if (response == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_unary_call: response is NULL");
    *response = NULL;
    rapport_call *call = NULL;
    rapport_status_code code =
        rapport_call_start(conn, method, RAPPORT_CALL_UNARY, payload, payload_len, options, &call, status);
    if (code != RAPPORT_STATUS_OK)
        return code;
    return rapport_call_finish(call, response, status);
}

/* ------------------------------------------------------------------------------------
 * Typed calls
 * ------------------------------------------------------------------------------------ */

rapport_status_code rapport_call_start_method(rapport_conn *conn, const rapport_method *method,
                                              const ProtobufCMessage *request,
                                              const rapport_call_options *options, rapport_call **call,
                                              rapport_status *status)
{
    if (call == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start_method: call is NULL");
    *call = NULL;
    if (method == NULL || method->path == NULL || method->response_type == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_start_method: no method given");
    if (request != NULL && method->request_type != NULL && request->descriptor != method->request_type)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "%s takes a %s request, not a %s", method->path,
                            method->request_type->name, request->descriptor->name);
    uint8_t *payload = NULL;
    size_t len = 0;
    if (request != NULL) {
        len = protobuf_c_message_get_packed_size(request);
        if (len > 0) {
            payload = malloc(len);
            if (payload == NULL)
                return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory packing the request");
            protobuf_c_message_pack(request, payload);
        }
    }
    rapport_call_type type = method->server_streaming ? RAPPORT_CALL_SERVER_STREAMING : RAPPORT_CALL_UNARY;
    rapport_status_code code = rapport_call_start(conn, method->path, type, payload, len, options, call, status);
    free(payload);
    if (code == RAPPORT_STATUS_OK)
        (*call)->method = method;
    return code;
}

/* Decodes a raw message as the call's response type; on failure aborts the call with INTERNAL. */
static rapport_status_code decode(rapport_call *call, rapport_message *raw, ProtobufCMessage **response,
                                  rapport_status *status)
{
    const ProtobufCMessageDescriptor *type = call->method->response_type;
    *response = protobuf_c_message_unpack(type, NULL, raw->len, raw->data);
    size_t len = raw->len;
    rapport_message_free(raw);
    if (*response != NULL)
        return RAPPORT_STATUS_OK;
    rapport_call_abort(call, RAPPORT_STATUS_INTERNAL, "response payload of %zu bytes does not decode as %s", len,
                       type->name);
    rapport_status_copy(status, &call->final);
    return call->final.code;
}

rapport_status_code rapport_call_next_method(rapport_call *call, ProtobufCMessage **response,
                                             rapport_status *status)
{
    if (response == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_next_method: response is NULL");
    *response = NULL;
    if (call == NULL || call->method == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT,
                            "rapport_call_next_method: not a call started with rapport_call_start_method");
    rapport_message *raw = NULL;
    rapport_status_code code = rapport_call_next(call, &raw, status);
    if (raw == NULL)
        return code;
    return decode(call, raw, response, status);
}

rapport_status_code rapport_call_finish_method(rapport_call *call, ProtobufCMessage **response,
                                               rapport_status *status)
{
    if (response == NULL) {
        rapport_call_free(call);
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_call_finish_method: response is NULL");
    }
    *response = NULL;
    if (call == NULL || call->method == NULL) {
        rapport_call_free(call);
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT,
                            "rapport_call_finish_method: not a call started with rapport_call_start_method");
    }
    rapport_message *raw = NULL;
    rapport_status_code code = finish_raw(call, &raw, status);
    if (raw != NULL)
        code = decode(call, raw, response, status);
    rapport_call_free(call);
    return code;
}

rapport_status_code rapport_unary_method(rapport_conn *conn, const rapport_method *method,
                                         const ProtobufCMessage *request, ProtobufCMessage **response,
                                         const rapport_call_options *options, rapport_status *status)
{
    if (response == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_unary_method: response is NULL");
    *response = NULL;
    if (method != NULL && method->server_streaming)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "%s is server-streaming, not unary",
                            method->path);
    rapport_call *call = NULL;
    rapport_status_code code = rapport_call_start_method(conn, method, request, options, &call, status);
    if (code != RAPPORT_STATUS_OK)
        return code;
    return rapport_call_finish_method(call, response, status);
}
