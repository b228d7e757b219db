/* Internal declarations shared by the runtime's source files. Not installed. */
#ifndef RAPPORT_INTERNAL_H
#define RAPPORT_INTERNAL_H

#include <stdarg.h>
#include <sys/types.h>

#include "rapport/client.h"
#include "rapport/wire/v1/frame.pb-c.h"

/* A queued response message: the public rapport_message plus its bytes in one block. */
typedef struct queued_message {
    struct queued_message *next;
    rapport_message msg;
    uint8_t data[];
} queued_message;

struct rapport_call {
    rapport_conn *conn;         /* NULL once the connection is closed */
    rapport_call *prev, *next;  /* the connection's list of calls not yet freed */
    uint64_t id;
    rapport_call_type type;
    const rapport_method *method; /* set for typed calls */
    uint32_t timeout_ms;
    int64_t deadline_us;        /* monotonic; -1 = none */
    bool done;                  /* the final result is known (final holds it) */
    rapport_status final;
    queued_message *head, *tail;
};

struct rapport_conn {
    int fd;                     /* -1 once the connection failed */
    uint32_t max_frame_size;
    char *authorization;        /* "Bearer <token>" sent with every call, or NULL */
    struct ssl_st *ssl;         /* the TLS session, or NULL for plain TCP */
    struct ssl_ctx_st *ssl_ctx;
    uint64_t next_call_id;
    uint64_t next_nonce;

    uint8_t *in;                /* unparsed inbound bytes are in[in_start, in_end) */
    size_t in_cap, in_start, in_end;
    uint8_t *out;               /* unsent outbound bytes are out[out_start, out_end) */
    size_t out_cap, out_start, out_end;

    rapport_call *calls;

    bool ping_waiting, pong_seen;
    uint64_t ping_nonce;

    bool failed;
    rapport_status_code fail_code;
    char *fail_message;

    bool goaway;
    rapport_status_code goaway_code;
    char *goaway_message;
    uint64_t goaway_last_call_id;
};

/* tls.c */
bool rapport_tls_wanted(const rapport_conn_options *options);
rapport_status_code rapport_tls_start(rapport_conn *conn, const rapport_conn_options *options, const char *host,
                                      int64_t deadline_us, rapport_status *status);
/* Like send/recv on a non-blocking socket: n > 0, 0 at the peer's close (recv), or -1 with errno
 * (EAGAIN: wait for the socket; EPIPE/ECONNRESET: the peer is gone; EIO: a TLS error). */
ssize_t rapport_tls_send(rapport_conn *conn, const void *data, size_t len);
ssize_t rapport_tls_recv(rapport_conn *conn, void *data, size_t len);
bool rapport_tls_pending(const rapport_conn *conn);
void rapport_tls_free(rapport_conn *conn);

/* status.c */
extern char rapport_empty_string[];
void rapport_status_set(rapport_status *status, rapport_status_code code, const char *message);
void rapport_status_setf(rapport_status *status, rapport_status_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void rapport_status_copy(rapport_status *status, const rapport_status *from);
char *rapport_vformat(const char *format, va_list args) __attribute__((format(printf, 1, 0)));
char *rapport_format(const char *format, ...) __attribute__((format(printf, 1, 2)));
rapport_status_code rapport_code_from_wire(int32_t code);
/* Returns code after filling status (status may be NULL). */
rapport_status_code rapport_fail(rapport_status *status, rapport_status_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* conn.c */
int64_t rapport_now_us(void);
enum { PUMP_OK = 0, PUMP_TIMEOUT = 1, PUMP_FAILED = 2 };
int rapport_conn_pump(rapport_conn *conn, int64_t deadline_us);
int rapport_conn_flush(rapport_conn *conn, int64_t deadline_us);
void rapport_conn_send_some(rapport_conn *conn);
/* Appends a frame to the output buffer; returns 0, or -1 (too large: sets *size; or out of memory). */
int rapport_conn_queue_frame(rapport_conn *conn, const Rapport__Wire__V1__Frame *frame, size_t *size);
void rapport_conn_queue_cancel(rapport_conn *conn, uint64_t call_id);
void rapport_conn_fail(rapport_conn *conn, rapport_status_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
rapport_status_code rapport_conn_unusable(rapport_conn *conn, rapport_status *status);

/* call.c */
void rapport_call_end(rapport_call *call, rapport_status_code code, const char *message,
                      size_t n_trailers, Rapport__Wire__V1__Response__TrailersEntry **trailers);
void rapport_call_abort(rapport_call *call, rapport_status_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
int rapport_call_enqueue(rapport_call *call, const uint8_t *data, size_t len);
void rapport_call_drop_queue(rapport_call *call);

#endif
