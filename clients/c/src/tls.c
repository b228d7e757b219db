/* TLS (OpenSSL) under the connection: the handshake at connect, then reads and writes that map
 * OpenSSL's outcomes onto the errno values the plain-socket paths already handle. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "internal.h"

bool rapport_tls_wanted(const rapport_conn_options *options)
{
    return options != NULL && (options->tls || options->tls_ca != NULL || options->tls_cert != NULL);
}

/* The first queued OpenSSL error as text (empties the queue), or `fallback`. */
static const char *ssl_error_text(char *buffer, size_t size, const char *fallback)
{
    unsigned long error = ERR_get_error();
    ERR_clear_error();
    if (error == 0)
        return fallback;
    ERR_error_string_n(error, buffer, size);
    return buffer;
}

static bool is_ip_address(const char *host)
{
    unsigned char address[16];
    return inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1;
}

rapport_status_code rapport_tls_start(rapport_conn *conn, const rapport_conn_options *options, const char *host,
                                      int64_t deadline_us, rapport_status *status)
{
    char text[256];
    const char *name = options->tls_server_name != NULL ? options->tls_server_name : host;
    if (options->tls_key != NULL && options->tls_cert == NULL)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "tls_key needs tls_cert (the certificate it belongs to)");
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "cannot create a TLS context: %s",
                            ssl_error_text(text, sizeof text, "out of memory"));
    conn->ssl_ctx = ctx;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    int trusted = options->tls_ca != NULL ? SSL_CTX_load_verify_locations(ctx, options->tls_ca, NULL)
                                          : SSL_CTX_set_default_verify_paths(ctx);
    if (trusted != 1)
        return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "cannot load the CA bundle %s: %s",
                            options->tls_ca != NULL ? options->tls_ca : "(system default)",
                            ssl_error_text(text, sizeof text, "unreadable"));
    if (options->tls_cert != NULL) {
        const char *key = options->tls_key != NULL ? options->tls_key : options->tls_cert;
        if (SSL_CTX_use_certificate_chain_file(ctx, options->tls_cert) != 1)
            return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT, "cannot load the client certificate %s: %s",
                                options->tls_cert, ssl_error_text(text, sizeof text, "unreadable"));
        if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1)
            return rapport_fail(status, RAPPORT_STATUS_INVALID_ARGUMENT,
                                "cannot load the private key %s of the client certificate: %s", key,
                                ssl_error_text(text, sizeof text, "it does not match the certificate"));
    }
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return rapport_fail(status, RAPPORT_STATUS_RESOURCE_EXHAUSTED, "cannot create a TLS session");
    conn->ssl = ssl;
    /* Writes resume from the output buffer, which may move or grow between attempts. */
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_set_fd(ssl, conn->fd);
    if (is_ip_address(name)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name);
    } else {
        SSL_set_tlsext_host_name(ssl, name);
        SSL_set1_host(ssl, name);
    }
    for (;;) {
        int done = SSL_connect(ssl);
        if (done == 1)
            return RAPPORT_STATUS_OK;
        int error = SSL_get_error(ssl, done);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
            long verified = SSL_get_verify_result(ssl);
            if (verified != X509_V_OK)
                return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE, "TLS handshake with %s failed: %s", host,
                                    X509_verify_cert_error_string(verified));
            return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE, "TLS handshake with %s failed: %s", host,
                                ssl_error_text(text, sizeof text, "the server closed the connection"));
        }
        struct pollfd pfd = { .fd = conn->fd, .events = error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, .revents = 0 };
        int timeout = -1;
        if (deadline_us >= 0) {
            int64_t left = deadline_us - rapport_now_us();
            if (left <= 0)
                return rapport_fail(status, RAPPORT_STATUS_DEADLINE_EXCEEDED, "TLS handshake with %s timed out", host);
            timeout = (int)((left + 999) / 1000);
        }
        int n = poll(&pfd, 1, timeout);
        if (n == 0)
            return rapport_fail(status, RAPPORT_STATUS_DEADLINE_EXCEEDED, "TLS handshake with %s timed out", host);
        if (n < 0 && errno != EINTR)
            return rapport_fail(status, RAPPORT_STATUS_UNAVAILABLE, "TLS handshake with %s failed: %s", host,
                                strerror(errno));
    }
}

/* Maps an OpenSSL failure onto errno: EAGAIN to wait, ECONNRESET for the peer gone, EIO otherwise. */
static ssize_t failed_io(rapport_conn *conn, int result, bool reading)
{
    int error = SSL_get_error(conn->ssl, result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        errno = EAGAIN;
        return -1;
    }
    if (error == SSL_ERROR_ZERO_RETURN && reading) {
        ERR_clear_error();
        return 0;
    }
    if (error == SSL_ERROR_SYSCALL && (errno == EINTR || errno == EPIPE || errno == ECONNRESET)) {
        ERR_clear_error();
        return -1;
    }
    ERR_clear_error();
    errno = error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN ? ECONNRESET : EIO;
    return -1;
}

ssize_t rapport_tls_send(rapport_conn *conn, const void *data, size_t len)
{
    int n = SSL_write(conn->ssl, data, len > INT32_MAX ? INT32_MAX : (int)len);
    return n > 0 ? n : failed_io(conn, n, false);
}

ssize_t rapport_tls_recv(rapport_conn *conn, void *data, size_t len)
{
    int n = SSL_read(conn->ssl, data, len > INT32_MAX ? INT32_MAX : (int)len);
    return n > 0 ? n : failed_io(conn, n, true);
}

bool rapport_tls_pending(const rapport_conn *conn)
{
    return conn->ssl != NULL && SSL_pending(conn->ssl) > 0;
}

void rapport_tls_free(rapport_conn *conn)
{
    if (conn->ssl != NULL) {
        if (conn->fd >= 0)
            SSL_shutdown(conn->ssl); /* best effort: a close_notify if the socket takes it now */
        SSL_free(conn->ssl);
        conn->ssl = NULL;
    }
    if (conn->ssl_ctx != NULL) {
        SSL_CTX_free(conn->ssl_ctx);
        conn->ssl_ctx = NULL;
    }
    ERR_clear_error();
}
