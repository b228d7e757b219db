/*
 * Rapport C client: the transport and call runtime.
 *
 * One rapport_conn is one TCP connection to rapportd speaking the protocol in
 * docs/wire-protocol.md. Calls are multiplexed on it by call id. The library has no
 * threads of its own: frames are read and written while the caller waits in one of the
 * functions below (a call's next/finish, rapport_ping, rapport_conn_process). A frame for
 * a call other than the one being waited on is queued on that call, so any number of calls
 * may be in flight and waited on in any order.
 *
 * Threads: a connection and its calls must be used by one thread at a time (lock around
 * them if needed). Different connections are independent.
 *
 * Ownership: everything the library allocates has a documented free function:
 *   rapport_conn      rapport_close()
 *   rapport_call      rapport_call_free(), or rapport_call_finish() which consumes it
 *   rapport_message   rapport_message_free()
 *   rapport_status    rapport_status_clear() (the struct itself is the caller's)
 *   protobuf-c responses   their <type>__free_unpacked(msg, NULL), or
 *                          protobuf_c_message_free_unpacked(&msg->base, NULL)
 *
 * Status: every function returning rapport_status_code also fills *status when status is
 * not NULL. A rapport_status must start zeroed (RAPPORT_STATUS_INIT); each fill releases what
 * the struct held before, so one struct can be reused for many calls and is released once
 * with rapport_status_clear().
 */
#ifndef RAPPORT_CLIENT_H
#define RAPPORT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------
 * Status
 * ------------------------------------------------------------------------------------ */

/* gRPC status codes, with gRPC's numbering. */
typedef enum rapport_status_code {
    RAPPORT_STATUS_OK = 0,
    RAPPORT_STATUS_CANCELLED = 1,
    RAPPORT_STATUS_UNKNOWN = 2,
    RAPPORT_STATUS_INVALID_ARGUMENT = 3,
    RAPPORT_STATUS_DEADLINE_EXCEEDED = 4,
    RAPPORT_STATUS_NOT_FOUND = 5,
    RAPPORT_STATUS_ALREADY_EXISTS = 6,
    RAPPORT_STATUS_PERMISSION_DENIED = 7,
    RAPPORT_STATUS_RESOURCE_EXHAUSTED = 8,
    RAPPORT_STATUS_FAILED_PRECONDITION = 9,
    RAPPORT_STATUS_ABORTED = 10,
    RAPPORT_STATUS_OUT_OF_RANGE = 11,
    RAPPORT_STATUS_UNIMPLEMENTED = 12,
    RAPPORT_STATUS_INTERNAL = 13,
    RAPPORT_STATUS_UNAVAILABLE = 14,
    RAPPORT_STATUS_DATA_LOSS = 15,
    RAPPORT_STATUS_UNAUTHENTICATED = 16
} rapport_status_code;

/* "OK", "CANCELLED", ... "UNAUTHENTICATED"; "UNKNOWN" for a value outside 0-16. */
const char *rapport_status_code_name(rapport_status_code code);

/* One metadata or trailer pair. */
typedef struct rapport_metadata {
    const char *key;
    const char *value;
} rapport_metadata;

/*
 * The outcome of an operation: a server's final status, or a local failure (connect refused,
 * deadline, connection closed, ...) with a message saying what happened.
 * message is never NULL after a fill ("" for OK). trailers are the final Response's
 * trailers (server errors set none). All strings are owned by the struct.
 */
typedef struct rapport_status {
    rapport_status_code code;
    char *message;
    size_t n_trailers;
    rapport_metadata *trailers;
} rapport_status;

#define RAPPORT_STATUS_INIT { RAPPORT_STATUS_OK, NULL, 0, NULL }

/* Frees what *status holds and resets it to RAPPORT_STATUS_INIT. NULL is allowed. */
void rapport_status_clear(rapport_status *status);

/* The value of a trailer, or NULL. */
const char *rapport_status_trailer(const rapport_status *status, const char *key);

/* ------------------------------------------------------------------------------------
 * Connections
 * ------------------------------------------------------------------------------------ */

typedef struct rapport_conn rapport_conn;

/* The default frame limit, the server's default --max-frame-size (4 MiB). */
#define RAPPORT_DEFAULT_MAX_FRAME_SIZE (4u * 1024u * 1024u)

typedef struct rapport_conn_options {
    /*
     * Largest frame (bytes after the 4-byte length prefix) accepted from the server and
     * sent to it; 0 means RAPPORT_DEFAULT_MAX_FRAME_SIZE. An inbound length prefix above it
     * fails the connection (RESOURCE_EXHAUSTED) before anything is allocated. A request whose
     * frame would exceed it fails locally with RESOURCE_EXHAUSTED and is not sent. Set it to
     * the server's --max-frame-size.
     */
    uint32_t max_frame_size;
    /*
     * The bearer token sent as "authorization: Bearer <token>" with every call (a call's own
     * "authorization" metadata wins). NULL or "": found as rapport_find_credential says,
     * unless no_credential is set.
     */
    const char *token;
    /* Where rapport_find_credential looks for local-admin.token; NULL: RAPPORT_DEFAULT_DATA_DIR. */
    const char *data_dir;
    /* Send no credential at all, whatever the environment or the data directory holds. */
    bool no_credential;
    /*
     * TLS (OpenSSL, TLS 1.2 or later): on when tls is set or tls_ca or tls_cert is given.
     * tls_ca: PEM CA bundle the server's certificate must chain to (NULL: the system's);
     * tls_cert / tls_key: the client certificate (chain) and its key, PEM, for mutual TLS
     * (tls_key NULL: the key is in tls_cert's file); tls_server_name: the name (or IP address)
     * the server's certificate must carry (NULL: host). A failed handshake fails rapport_connect
     * with UNAVAILABLE; files that cannot be loaded with INVALID_ARGUMENT.
     */
    bool tls;
    const char *tls_ca;
    const char *tls_cert;
    const char *tls_key;
    const char *tls_server_name;
} rapport_conn_options;

#define RAPPORT_CONN_OPTIONS_INIT { 0, NULL, NULL, false, false, NULL, NULL, NULL, NULL }

/* rapportd's default --data-dir, relative to the working directory. */
#define RAPPORT_DEFAULT_DATA_DIR "rapport-data"

/*
 * The credential to send, in the order every Rapport client uses:
 *   1. token, when not NULL or "";
 *   2. the environment variable RAPPORT_TOKEN;
 *   3. the file named by RAPPORT_TOKEN_FILE (its content, trailing whitespace removed);
 *   4. <data_dir>/local-admin.token (data_dir NULL: RAPPORT_DEFAULT_DATA_DIR), the credential
 *      rapportd writes on first start when no principals are configured; only when host is a
 *      loopback address ("localhost", 127.x.x.x, ::1), so that it never goes to another machine.
 * On OK, *found is a new string (free() it) or NULL when none of them gives a token.
 * Failures: INVALID_ARGUMENT when RAPPORT_TOKEN_FILE, or an existing local-admin.token, cannot
 * be read or holds no token; RESOURCE_EXHAUSTED when out of memory.
 */
rapport_status_code rapport_find_credential(const char *host, const char *token, const char *data_dir,
                                            char **found, rapport_status *status);

/*
 * Connects to host:port (a name or a numeric IPv4/IPv6 address), trying each resolved
 * address until one accepts, within timeout_ms in total (<= 0: no limit beyond the
 * operating system's). Name resolution itself is not bounded by the timeout.
 * options may be NULL. On success *conn is a new connection (free with rapport_close).
 * The connection's credential is chosen here (see rapport_conn_options.token).
 * Failures: UNAVAILABLE (refused, unreachable, unknown host), DEADLINE_EXCEEDED (timeout),
 * INVALID_ARGUMENT (bad arguments, or a credential file that cannot be read).
 */
rapport_status_code rapport_connect(const char *host, uint16_t port, int timeout_ms,
                                    const rapport_conn_options *options, rapport_conn **conn,
                                    rapport_status *status);

/*
 * Closes the socket and frees the connection. Calls not yet freed stay valid: unfinished
 * ones end with UNAVAILABLE "connection closed by the client", and each must still be freed
 * with rapport_call_free. NULL is allowed.
 */
void rapport_close(rapport_conn *conn);

/*
 * Whether new calls can start: OK, or UNAVAILABLE after a GoAway or when the connection is
 * lost (the message says why; after a GoAway it quotes the GoAway's code and message), or
 * the code that failed the connection when the server broke the protocol (INTERNAL) or sent
 * a frame over max_frame_size (RESOURCE_EXHAUSTED).
 */
rapport_status_code rapport_conn_check(rapport_conn *conn, rapport_status *status);

/* Whether a GoAway has been received, and its contents (any out-pointer may be NULL). */
bool rapport_conn_goaway(const rapport_conn *conn, rapport_status_code *code, const char **message,
                         uint64_t *last_call_id);

/*
 * Processes I/O for up to timeout_ms without waiting on a call (answers server Pings,
 * notices GoAway and connection loss, queues responses for calls). 0 polls once without
 * blocking. Returns OK, or the connection's failure status.
 */
rapport_status_code rapport_conn_process(rapport_conn *conn, int timeout_ms, rapport_status *status);

/*
 * Sends Ping and waits up to timeout_ms (<= 0: no limit) for the matching Pong. Frames of
 * other calls that arrive meanwhile are queued. rtt_us (may be NULL) gets the round trip
 * in microseconds. Failures: DEADLINE_EXCEEDED, UNAVAILABLE.
 */
rapport_status_code rapport_ping(rapport_conn *conn, int timeout_ms, uint64_t *rtt_us, rapport_status *status);

/* ------------------------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------------------------ */

typedef struct rapport_call_options {
    /*
     * Deadline for the whole call in milliseconds from its start; 0 means none. It is sent
     * to the server as timeout_ms and enforced locally: when it passes the call ends with
     * DEADLINE_EXCEEDED and a Cancel is sent.
     */
    uint32_t timeout_ms;
    /* Request metadata (n_metadata pairs; keys by convention lower-case ASCII). */
    const rapport_metadata *metadata;
    size_t n_metadata;
} rapport_call_options;

#define RAPPORT_CALL_OPTIONS_INIT { 0, NULL, 0 }

/* One message of a call as raw bytes (data is valid for len bytes; len may be 0). */
typedef struct rapport_message {
    uint8_t *data;
    size_t len;
} rapport_message;

/* Frees a message from rapport_call_next/rapport_call_finish. NULL is allowed. */
void rapport_message_free(rapport_message *message);

/*
 * A call in flight (unary or server-streaming); also the stream handle of generated
 * streaming methods. Free with rapport_call_free (or let rapport_call_finish consume it).
 */
typedef struct rapport_call rapport_call;

typedef enum rapport_call_type {
    RAPPORT_CALL_UNARY = 0,           /* exactly one response message */
    RAPPORT_CALL_SERVER_STREAMING = 1 /* zero or more response messages */
} rapport_call_type;

/*
 * Starts a call with a raw request payload: method is "/package.Service/Method". Writes the
 * Request (waiting for the socket at most until the call's deadline) and returns without
 * waiting for the answer. Returns an error only when the call could not start (connection
 * unusable: UNAVAILABLE; request too large: RESOURCE_EXHAUSTED; bad arguments:
 * INVALID_ARGUMENT); every later failure is reported by rapport_call_next/_finish.
 * The call id is chosen by the library (1, 2, 3, ... per connection).
 */
rapport_status_code rapport_call_start(rapport_conn *conn, const char *method, rapport_call_type type,
                                       const void *payload, size_t payload_len,
                                       const rapport_call_options *options, rapport_call **call,
                                       rapport_status *status);

/*
 * Waits for the call's next response message. Returns OK with *message set to a message
 * (free with rapport_message_free), or OK with *message NULL once the call has ended
 * successfully, or the call's failure code (status filled). After the end, every further
 * call repeats the final result. Messages that arrived before a deadline or before the
 * connection failed are delivered before the failure.
 */
rapport_status_code rapport_call_next(rapport_call *call, rapport_message **message, rapport_status *status);

/*
 * For a unary call: waits for the final result and returns the response message in
 * *response (free with rapport_message_free), or the failure code with *response NULL.
 * Always frees the call.
 */
rapport_status_code rapport_call_finish(rapport_call *call, rapport_message **response, rapport_status *status);

/*
 * Stops the call: it ends at once with CANCELLED "call cancelled by the client", queued
 * messages are dropped and a Cancel frame is sent. Later responses for it are ignored.
 * No effect on a call that has already ended. The call must still be freed.
 */
void rapport_call_cancel(rapport_call *call);

/* Cancels the call if it has not ended (see rapport_call_cancel) and frees it. NULL is allowed. */
void rapport_call_free(rapport_call *call);

/* The call's id on the wire, and whether it has ended (its final result is known). */
uint64_t rapport_call_id(const rapport_call *call);
bool rapport_call_done(const rapport_call *call);

/* Start + finish of a raw unary call. */
rapport_status_code rapport_unary_call(rapport_conn *conn, const char *method, const void *payload,
                                       size_t payload_len, const rapport_call_options *options,
                                       rapport_message **response, rapport_status *status);

/* ------------------------------------------------------------------------------------
 * Typed calls with protobuf-c messages (what the generated stubs use)
 * ------------------------------------------------------------------------------------ */

/* A method as generated from the protos (see generated/<proto>.rapport.h). */
typedef struct rapport_method {
    const char *service;                                /* "rapport.health.v1.Health" */
    const char *name;                                   /* "Check" */
    const char *path;                                   /* "/rapport.health.v1.Health/Check" */
    const ProtobufCMessageDescriptor *request_type;
    const ProtobufCMessageDescriptor *response_type;
    bool server_streaming;
} rapport_method;

/* A service as generated from the protos. */
typedef struct rapport_service {
    const char *name;                                   /* "rapport.health.v1.Health" */
    size_t n_methods;
    const rapport_method *const *methods;
} rapport_service;

/*
 * Starts a call of method with a protobuf-c request (NULL sends the default message, an
 * empty payload). The request must be of method->request_type (else INVALID_ARGUMENT).
 * Otherwise as rapport_call_start.
 */
rapport_status_code rapport_call_start_method(rapport_conn *conn, const rapport_method *method,
                                              const ProtobufCMessage *request,
                                              const rapport_call_options *options, rapport_call **call,
                                              rapport_status *status);

/*
 * As rapport_call_next, decoding each message as the method's response type. *response
 * must be freed with protobuf_c_message_free_unpacked(*response, NULL). A payload that does
 * not decode fails the call with INTERNAL (and cancels it). Only for calls started with
 * rapport_call_start_method.
 */
rapport_status_code rapport_call_next_method(rapport_call *call, ProtobufCMessage **response,
                                             rapport_status *status);

/* As rapport_call_finish, decoding the response. Always frees the call. */
rapport_status_code rapport_call_finish_method(rapport_call *call, ProtobufCMessage **response,
                                               rapport_status *status);

/* Start + finish of a typed unary call. */
rapport_status_code rapport_unary_method(rapport_conn *conn, const rapport_method *method,
                                         const ProtobufCMessage *request, ProtobufCMessage **response,
                                         const rapport_call_options *options, rapport_status *status);

#ifdef __cplusplus
}
#endif

#endif /* RAPPORT_CLIENT_H */
