/* The connection: connect, framing, the I/O loop, inbound frame dispatch, ping, GoAway. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define READ_CHUNK (64u * 1024u)
#define SHRINK_ABOVE (256u * 1024u)

int64_t rapport_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Milliseconds for poll() until deadline_us (rounded up), or -1 for none. */
static int poll_timeout(int64_t deadline_us)
{
    if (deadline_us < 0)
        return -1;
    int64_t left = deadline_us - rapport_now_us();
    if (left <= 0)
        return 0;
    int64_t ms = (left + 999) / 1000;
    return ms > 1000000000 ? 1000000000 : (int)ms;
}

/* ------------------------------------------------------------------------------------
 * Connecting
 * ------------------------------------------------------------------------------------ */

static void address_text(char *buf, size_t size, const char *host, uint16_t port)
{
    if (strchr(host, ':') != NULL)
        snprintf(buf, size, "[%s]:%u", host, (unsigned)port);
    else
        snprintf(buf, size, "%s:%u", host, (unsigned)port);
}

/* Connects one address within deadline; returns the fd, or -1 with *error (errno or ETIMEDOUT). */
static int connect_one(const struct addrinfo *ai, int64_t deadline_us, int *error)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
        *error = errno;
        return -1;
    }
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        *error = errno;
        close(fd);
        return -1;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return fd;
    if (errno != EINPROGRESS && errno != EINTR) {
        *error = errno;
        close(fd);
        return -1;
    }
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT, .revents = 0 };
        int timeout = poll_timeout(deadline_us);
        int n = poll(&pfd, 1, timeout);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = errno;
            close(fd);
            return -1;
        }
        if (n == 0) {
            *error = ETIMEDOUT;
            close(fd);
            return -1;
        }
        int so_error = 0;
        socklen_t len = sizeof so_error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
            so_error = errno;
        if (so_error != 0) {
            *error = so_error;
            close(fd);
            return -1;
        }
        return fd;
    }
}

rapport_status_code rapport_connect(const char *host, uint16_t port, int timeout_ms,
                                    const rapport_conn_options *options, rapport_conn **conn,
                                    rapport_status *status)
{
    if (conn == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_connect: conn is NULL");
    *conn = NULL;
    if (host == NULL || host[0] == '\0')
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_connect: no host given");
    if (port == 0)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_connect: port 0 is not a valid port");
    uint32_t max_frame = options != NULL && options->max_frame_size != 0 ? options->max_frame_size
                                                                        : RAPPORT_DEFAULT_MAX_FRAME_SIZE;
    char *authorization = NULL;
    if (options == NULL || !options->no_credential) {
        char *token = NULL;
        rapport_status_code found = rapport_find_credential(host, options != NULL ? options->token : NULL,
                                                            options != NULL ? options->data_dir : NULL, &token,
                                                            status);
        if (found != RAPPORT_STATUS_OK)
            return found;
        if (token != NULL) {
            size_t length = strlen(token) + sizeof "Bearer ";
            authorization = malloc(length);
            if (authorization != NULL)
                snprintf(authorization, length, "Bearer %s", token);
            free(token);
            if (authorization == NULL)
                return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        }
    }
    char where[300];
    address_text(where, sizeof where, host, port);
    int64_t deadline = timeout_ms > 0 ? rapport_now_us() + (int64_t)timeout_ms * 1000 : -1;

    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *found = NULL;
    int gai = getaddrinfo(host, service, &hints, &found);
    if (gai != 0) {
        const char *why = gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai);
        free(authorization);
        return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE, "connect to %s failed: cannot resolve '%s': %s",
                            where, host, why);
    }
    int fd = -1;
    int error = 0;
    for (struct addrinfo *ai = found; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = connect_one(ai, deadline, &error);
        if (fd < 0 && error == ETIMEDOUT)
            break;
    }
    freeaddrinfo(found);
    if (fd < 0) {
        free(authorization);
        if (error == ETIMEDOUT)
            return rapport_fail(status, RAPPORT_STATUS_DEADLINE_EXCEEDED, "connect to %s timed out after %d ms",
                                where, timeout_ms);
        if (error == ECONNREFUSED)
            return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE,
                                "connect to %s failed: connection refused (is rapportd running on that port?)",
                                where);
        return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE, "connect to %s failed: %s", where,
                            strerror(error));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    rapport_conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        free(authorization);
        close(fd);
        return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    c->fd = fd;
    c->authorization = authorization;
    c->max_frame_size = max_frame;
    c->next_call_id = 1;
    c->next_nonce = 1;
    if (rapport_tls_wanted(options)) {
        rapport_status_code started = rapport_tls_start(c, options, host, deadline, status);
        if (started != RAPPORT_STATUS_OK) {
            rapport_close(c);
            return started;
        }
    }
    *conn = c;
    rapport_status_set(status, RAPPORT_STATUS_OK, "");
    return RAPPORT_STATUS_OK;
}

void rapport_close(rapport_conn *conn)
{
    if (conn == NULL)
        return;
    rapport_call *call = conn->calls;
    while (call != NULL) {
        rapport_call *next = call->next;
        if (!call->done)
            rapport_call_end(call, RAPPORT_STATUS_UNAVAILABLE, "connection closed by the client", 0, NULL);
        call->conn = NULL;
        call->prev = call->next = NULL;
        call = next;
    }
    rapport_tls_free(conn);
    if (conn->fd >= 0)
        close(conn->fd);
    free(conn->authorization);
    free(conn->in);
    free(conn->out);
    free(conn->fail_message);
    free(conn->goaway_message);
    free(conn);
}

/* ------------------------------------------------------------------------------------
 * Failure and state
 * ------------------------------------------------------------------------------------ */

void rapport_conn_fail(rapport_conn *conn, rapport_status_code code, const char *format, ...)
{
    if (conn->failed)
        return;
    va_list args;
    va_start(args, format);
    char *message = rapport_vformat(format, args);
    va_end(args);
    conn->failed = true;
    conn->fail_code = code;
    conn->fail_message = message;
    if (conn->fd >= 0) {
        close(conn->fd);
        conn->fd = -1;
    }
    conn->out_start = conn->out_end = 0;
    conn->in_start = conn->in_end = 0;
    for (rapport_call *call = conn->calls; call != NULL; call = call->next)
        if (!call->done)
            rapport_call_end(call, code, message != NULL ? message : "connection failed", 0, NULL);
}

rapport_status_code rapport_conn_unusable(rapport_conn *conn, rapport_status *status)
{
    if (conn->failed)
        return rapport_fail(status, conn->fail_code == RAPPORT_STATUS_OK ? RAPPORT_STATUS_UNAVAILABLE : conn->fail_code,
                            "%s", conn->fail_message != NULL ? conn->fail_message : "connection failed");
    if (conn->goaway)
        return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE,
                            "the server sent GoAway (%s: %s); open a new connection for new calls",
                            rapport_status_code_name(conn->goaway_code),
                            conn->goaway_message != NULL ? conn->goaway_message : "");
    return RAPPORT_STATUS_OK;
}

rapport_status_code rapport_conn_check(rapport_conn *conn, rapport_status *status)
{
    if (conn == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_conn_check: conn is NULL");
    rapport_status_code code = rapport_conn_unusable(conn, status);
    if (code == RAPPORT_STATUS_OK)
        rapport_status_set(status, RAPPORT_STATUS_OK, "");
    return code;
}

bool rapport_conn_goaway(const rapport_conn *conn, rapport_status_code *code, const char **message,
                         uint64_t *last_call_id)
{
    if (conn == NULL || !conn->goaway)
        return false;
    if (code != NULL)
        *code = conn->goaway_code;
    if (message != NULL)
        *message = conn->goaway_message != NULL ? conn->goaway_message : "";
    if (last_call_id != NULL)
        *last_call_id = conn->goaway_last_call_id;
    return true;
}

/* ------------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------------ */

int rapport_conn_queue_frame(rapport_conn *conn, const Rapport__Wire__V1__Frame *frame, size_t *size)
{
    if (conn->failed)
        return -1;
    size_t n = protobuf_c_message_get_packed_size(&frame->base);
    if (size != NULL)
        *size = n;
    if (n > conn->max_frame_size)
        return -1;
    size_t need = 4 + n;
    if (conn->out_start == conn->out_end)
        conn->out_start = conn->out_end = 0;
    if (conn->out_cap - conn->out_end < need && conn->out_start > 0) {
        memmove(conn->out, conn->out + conn->out_start, conn->out_end - conn->out_start);
        conn->out_end -= conn->out_start;
        conn->out_start = 0;
    }
    if (conn->out_cap - conn->out_end < need) {
        size_t cap = conn->out_cap ? conn->out_cap : 4096;
        while (cap - conn->out_end < need)
            cap *= 2;
        uint8_t *grown = realloc(conn->out, cap);
        if (grown == NULL) {
            if (size != NULL)
                *size = 0;
            return -1;
        }
        conn->out = grown;
        conn->out_cap = cap;
    }
    uint8_t *p = conn->out + conn->out_end;
    p[0] = (uint8_t)(n >> 24);
    p[1] = (uint8_t)(n >> 16);
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
    protobuf_c_message_pack(&frame->base, p + 4);
    conn->out_end += need;
    return 0;
}

void rapport_conn_queue_cancel(rapport_conn *conn, uint64_t call_id)
{
    if (conn == NULL || conn->failed)
        return;
    Rapport__Wire__V1__Cancel cancel = RAPPORT__WIRE__V1__CANCEL__INIT;
    cancel.call_id = call_id;
    Rapport__Wire__V1__Frame frame = RAPPORT__WIRE__V1__FRAME__INIT;
    frame.kind_case = RAPPORT__WIRE__V1__FRAME__KIND_CANCEL;
    frame.cancel = &cancel;
    rapport_conn_queue_frame(conn, &frame, NULL);
    rapport_conn_send_some(conn);
}

static int receive_some(rapport_conn *conn);
static void fail_closed(rapport_conn *conn, const char *how);

/* Writes what the socket takes now, without waiting. */
void rapport_conn_send_some(rapport_conn *conn)
{
    while (!conn->failed && conn->out_start < conn->out_end) {
        ssize_t n = conn->ssl != NULL
                        ? rapport_tls_send(conn, conn->out + conn->out_start, conn->out_end - conn->out_start)
                        : send(conn->fd, conn->out + conn->out_start, conn->out_end - conn->out_start, MSG_NOSIGNAL);
        if (n > 0) {
            conn->out_start += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
            /* The server closed; what it sent before (a GoAway, final responses) may still be readable. */
            while (!conn->failed && receive_some(conn) > 0)
                ;
            fail_closed(conn, "closed");
        } else
            rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "write to the server failed: %s",
                              strerror(n < 0 ? errno : EIO));
        return;
    }
    if (conn->out_start == conn->out_end) {
        conn->out_start = conn->out_end = 0;
        if (conn->out_cap > SHRINK_ABOVE) {
            free(conn->out);
            conn->out = NULL;
            conn->out_cap = 0;
        }
    }
}

/* ------------------------------------------------------------------------------------
 * Input and dispatch
 * ------------------------------------------------------------------------------------ */

static rapport_call *find_call(rapport_conn *conn, uint64_t id)
{
    for (rapport_call *call = conn->calls; call != NULL; call = call->next)
        if (call->id == id && !call->done)
            return call;
    return NULL;
}

static void on_response(rapport_conn *conn, const Rapport__Wire__V1__Response *response)
{
    rapport_call *call = find_call(conn, response->call_id);
    if (call == NULL)
        return; /* unknown, cancelled or expired: ignore */
    if (!response->end_of_stream) {
        if (call->type == RAPPORT_CALL_UNARY) {
            rapport_call_abort(call, RAPPORT_STATUS_INTERNAL,
                               "the server sent a non-final response for unary call %llu (a server bug)",
                               (unsigned long long)call->id);
            return;
        }
        if (rapport_call_enqueue(call, response->payload.data, response->payload.len) != 0)
            rapport_call_abort(call, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory queueing a response message");
        return;
    }
    rapport_status_code code = RAPPORT_STATUS_OK;
    const char *message = "";
    char *owned = NULL;
    if (response->status != NULL) {
        code = rapport_code_from_wire(response->status->code);
        message = response->status->message != NULL ? response->status->message : "";
        if (code == RAPPORT_STATUS_UNKNOWN && response->status->code != RAPPORT_STATUS_UNKNOWN) {
            owned = rapport_format("the server sent status code %d: %s", (int)response->status->code, message);
            if (owned != NULL)
                message = owned;
        }
    }
    if (code == RAPPORT_STATUS_OK && call->type == RAPPORT_CALL_UNARY) {
        if (rapport_call_enqueue(call, response->payload.data, response->payload.len) != 0) {
            code = RAPPORT_STATUS_RESOURCE_EXHAUSTED;
            message = "out of memory queueing the response message";
        }
    }
    rapport_call_end(call, code, message, response->n_trailers, response->trailers);
    free(owned);
}

static void on_goaway(rapport_conn *conn, const Rapport__Wire__V1__GoAway *goaway)
{
    rapport_status_code code = RAPPORT_STATUS_OK;
    const char *message = "";
    if (goaway->status != NULL) {
        code = rapport_code_from_wire(goaway->status->code);
        message = goaway->status->message != NULL ? goaway->status->message : "";
    }
    free(conn->goaway_message);
    conn->goaway = true;
    conn->goaway_code = code;
    conn->goaway_message = strdup(message);
    conn->goaway_last_call_id = goaway->last_call_id;
    for (rapport_call *call = conn->calls; call != NULL; call = call->next) {
        if (call->done || call->id <= goaway->last_call_id)
            continue;
        char *text = rapport_format("the server did not start this call: it sent GoAway (%s: %s) with "
                                    "last_call_id %llu; retry on a new connection",
                                    rapport_status_code_name(code), message,
                                    (unsigned long long)goaway->last_call_id);
        rapport_call_end(call, RAPPORT_STATUS_UNAVAILABLE, text != NULL ? text : "the server sent GoAway", 0, NULL);
        free(text);
    }
}

static void dispatch_frame(rapport_conn *conn, const uint8_t *data, size_t len)
{
    Rapport__Wire__V1__Frame *frame = rapport__wire__v1__frame__unpack(NULL, len, data);
    if (frame == NULL) {
        rapport_conn_fail(conn, RAPPORT_STATUS_INTERNAL,
                          "the server sent a frame of %zu bytes that is not a valid rapport.wire.v1.Frame", len);
        return;
    }
    switch (frame->kind_case) {
    case RAPPORT__WIRE__V1__FRAME__KIND_RESPONSE:
        on_response(conn, frame->response);
        break;
    case RAPPORT__WIRE__V1__FRAME__KIND_PING: {
        Rapport__Wire__V1__Pong pong = RAPPORT__WIRE__V1__PONG__INIT;
        pong.nonce = frame->ping->nonce;
        Rapport__Wire__V1__Frame reply = RAPPORT__WIRE__V1__FRAME__INIT;
        reply.kind_case = RAPPORT__WIRE__V1__FRAME__KIND_PONG;
        reply.pong = &pong;
        rapport_conn_queue_frame(conn, &reply, NULL);
        break;
    }
    case RAPPORT__WIRE__V1__FRAME__KIND_PONG:
        if (conn->ping_waiting && frame->pong->nonce == conn->ping_nonce)
            conn->pong_seen = true;
        break;
    case RAPPORT__WIRE__V1__FRAME__KIND_GO_AWAY:
        on_goaway(conn, frame->go_away);
        break;
    case RAPPORT__WIRE__V1__FRAME__KIND_REQUEST:
    case RAPPORT__WIRE__V1__FRAME__KIND_CANCEL:
        rapport_conn_fail(conn, RAPPORT_STATUS_INTERNAL, "the server sent a %s frame, which only clients may send",
                          frame->kind_case == RAPPORT__WIRE__V1__FRAME__KIND_REQUEST ? "request" : "cancel");
        break;
    default:
        rapport_conn_fail(conn, RAPPORT_STATUS_INTERNAL, "the server sent a frame with no kind set");
        break;
    }
    rapport__wire__v1__frame__free_unpacked(frame, NULL);
}

static void parse_frames(rapport_conn *conn)
{
    while (!conn->failed && conn->in_end - conn->in_start >= 4) {
        const uint8_t *p = conn->in + conn->in_start;
        uint32_t n = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
        if (n > conn->max_frame_size) {
            rapport_conn_fail(conn, RAPPORT_STATUS_RESOURCE_EXHAUSTED,
                              "the server sent a frame of %u bytes, over this client's limit of %u bytes "
                              "(rapport_conn_options.max_frame_size)",
                              n, conn->max_frame_size);
            return;
        }
        if (conn->in_end - conn->in_start - 4 < n)
            return;
        conn->in_start += 4 + (size_t)n;
        dispatch_frame(conn, p + 4, n);
    }
    if (!conn->failed && conn->in_start == conn->in_end) {
        conn->in_start = conn->in_end = 0;
        if (conn->in_cap > SHRINK_ABOVE) {
            free(conn->in);
            conn->in = NULL;
            conn->in_cap = 0;
        }
    }
}

/* Makes room for the next read: at least the rest of the current frame, bounded by the limit. */
static int reserve_input(rapport_conn *conn)
{
    size_t have = conn->in_end - conn->in_start;
    size_t want = READ_CHUNK;
    if (have >= 4) {
        const uint8_t *p = conn->in + conn->in_start;
        size_t n = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | (size_t)p[3];
        if (4 + n > want)
            want = 4 + n; /* n <= max_frame_size: parse_frames checked it */
    }
    if (conn->in_start > 0 && conn->in_cap - conn->in_end < want - have) {
        memmove(conn->in, conn->in + conn->in_start, have);
        conn->in_start = 0;
        conn->in_end = have;
    }
    if (conn->in_cap < want) {
        uint8_t *grown = realloc(conn->in, want);
        if (grown == NULL)
            return -1;
        conn->in = grown;
        conn->in_cap = want;
    }
    return 0;
}

/* Fails the connection after the server closed it ("closed" or "reset"). */
static void fail_closed(rapport_conn *conn, const char *how)
{
    if (conn->goaway)
        rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "connection %s by the server after GoAway (%s: %s)", how,
                          rapport_status_code_name(conn->goaway_code),
                          conn->goaway_message ? conn->goaway_message : "");
    else if (conn->in_end > conn->in_start)
        rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "connection %s by the server in the middle of a frame",
                          how);
    else
        rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "connection %s by the server", how);
}

/* Reads once what the socket has; returns 1 if bytes were read, 0 if none were ready, -1 on failure. */
static int receive_some(rapport_conn *conn)
{
    if (conn->failed)
        return -1;
    if (reserve_input(conn) != 0) {
        rapport_conn_fail(conn, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory reading a frame");
        return -1;
    }
    for (;;) {
        ssize_t n = conn->ssl != NULL ? rapport_tls_recv(conn, conn->in + conn->in_end, conn->in_cap - conn->in_end)
                                      : recv(conn->fd, conn->in + conn->in_end, conn->in_cap - conn->in_end, 0);
        if (n > 0) {
            conn->in_end += (size_t)n;
            parse_frames(conn);
            if (conn->failed)
                return -1;
            /* Decrypted bytes OpenSSL still holds make the socket look idle: take them now. */
            if (rapport_tls_pending(conn)) {
                if (reserve_input(conn) != 0) {
                    rapport_conn_fail(conn, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory reading a frame");
                    return -1;
                }
                continue;
            }
            return 1;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (n == 0 || errno == ECONNRESET || errno == EPIPE)
            fail_closed(conn, n == 0 ? "closed" : "reset");
        else
            rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "read from the server failed: %s", strerror(errno));
        return -1;
    }
}

/* ------------------------------------------------------------------------------------
 * The I/O loop
 * ------------------------------------------------------------------------------------ */

int rapport_conn_pump(rapport_conn *conn, int64_t deadline_us)
{
    if (conn->failed)
        return PUMP_FAILED;
    for (;;) {
        struct pollfd pfd = { .fd = conn->fd, .events = POLLIN, .revents = 0 };
        if (conn->out_start < conn->out_end)
            pfd.events |= POLLOUT;
        int n = poll(&pfd, 1, poll_timeout(deadline_us));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "poll failed: %s", strerror(errno));
            return PUMP_FAILED;
        }
        if (n == 0)
            return PUMP_TIMEOUT;
        if (pfd.revents & POLLNVAL) {
            rapport_conn_fail(conn, RAPPORT_STATUS_UNAVAILABLE, "the connection's socket is no longer valid");
            return PUMP_FAILED;
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
            receive_some(conn);
        if (!conn->failed && (pfd.revents & POLLOUT))
            rapport_conn_send_some(conn);
        /* Pongs queued by dispatch go out right away when the socket takes them. */
        if (!conn->failed && conn->out_start < conn->out_end)
            rapport_conn_send_some(conn);
        return conn->failed ? PUMP_FAILED : PUMP_OK;
    }
}

int rapport_conn_flush(rapport_conn *conn, int64_t deadline_us)
{
    rapport_conn_send_some(conn);
    while (!conn->failed && conn->out_start < conn->out_end) {
        if (deadline_us >= 0 && rapport_now_us() >= deadline_us)
            return PUMP_TIMEOUT;
        int r = rapport_conn_pump(conn, deadline_us);
        if (r != PUMP_OK)
            return r;
    }
    return conn->failed ? PUMP_FAILED : PUMP_OK;
}

rapport_status_code rapport_conn_process(rapport_conn *conn, int timeout_ms, rapport_status *status)
{
    if (conn == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_conn_process: conn is NULL");
    int64_t deadline = rapport_now_us() + (int64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000;
    do {
        if (rapport_conn_pump(conn, deadline) != PUMP_OK)
            break;
    } while (rapport_now_us() < deadline);
    if (conn->failed)
        return rapport_conn_unusable(conn, status);
    rapport_status_set(status, RAPPORT_STATUS_OK, "");
    return RAPPORT_STATUS_OK;
}

rapport_status_code rapport_ping(rapport_conn *conn, int timeout_ms, uint64_t *rtt_us, rapport_status *status)
{
    if (conn == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "rapport_ping: conn is NULL");
    if (rtt_us != NULL)
        *rtt_us = 0;
    if (conn->failed)
        return rapport_conn_unusable(conn, status);
    int64_t start = rapport_now_us();
    int64_t deadline = timeout_ms > 0 ? start + (int64_t)timeout_ms * 1000 : -1;
    Rapport__Wire__V1__Ping ping = RAPPORT__WIRE__V1__PING__INIT;
    ping.nonce = conn->next_nonce++;
    Rapport__Wire__V1__Frame frame = RAPPORT__WIRE__V1__FRAME__INIT;
    frame.kind_case = RAPPORT__WIRE__V1__FRAME__KIND_PING;
    frame.ping = &ping;
    if (rapport_conn_queue_frame(conn, &frame, NULL) != 0)
        return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "out of memory queueing a ping");
    conn->ping_waiting = true;
    conn->ping_nonce = ping.nonce;
    conn->pong_seen = false;
    rapport_conn_send_some(conn);
    while (!conn->pong_seen && !conn->failed) {
        if (deadline >= 0 && rapport_now_us() >= deadline)
            break;
        if (rapport_conn_pump(conn, deadline) == PUMP_FAILED)
            break;
    }
    conn->ping_waiting = false;
    if (conn->pong_seen) {
        conn->pong_seen = false;
        if (rtt_us != NULL)
            *rtt_us = (uint64_t)(rapport_now_us() - start);
        rapport_status_set(status, RAPPORT_STATUS_OK, "");
        return RAPPORT_STATUS_OK;
    }
    if (conn->failed)
        return rapport_conn_unusable(conn, status);
    return rapport_fail(status, RAPPORT_STATUS_DEADLINE_EXCEEDED, "no pong within %d ms", timeout_ms);
}
