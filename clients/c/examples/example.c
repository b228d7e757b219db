/*
 * rapport-example HOST PORT [MESSAGE]
 *
 * Connects to rapportd, checks its health and echoes MESSAGE (default "hello").
 * Exits 0 when both calls succeed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rapport/client.h>
#include "rapport_stubs.h"

static const char *serving_name(int status)
{
    switch (status) {
    case RAPPORT__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING: return "SERVING";
    case RAPPORT__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING: return "NOT_SERVING";
    case RAPPORT__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN: return "SERVICE_UNKNOWN";
    default: return "UNKNOWN";
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [MESSAGE]\n", argv[0]);
        return 2;
    }
    const char *host = argv[1];
    long port = strtol(argv[2], NULL, 10);
    const char *text = argc > 3 ? argv[3] : "hello";
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "bad port '%s'\n", argv[2]);
        return 2;
    }

    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_conn *conn = NULL;
    if (rapport_connect(host, (uint16_t)port, 3000, NULL, &conn, &status) != RAPPORT_STATUS_OK) {
        fprintf(stderr, "connect: %s: %s\n", rapport_status_code_name(status.code), status.message);
        rapport_status_clear(&status);
        return 1;
    }
    int failures = 0;
    rapport_call_options options = RAPPORT_CALL_OPTIONS_INIT;
    options.timeout_ms = 5000;

    /* Health/Check for the whole server (a NULL request is the default message). */
    Rapport__Health__V1__HealthCheckResponse *health = NULL;
    if (rapport_health_v1_health_check(conn, NULL, &health, &options, &status) == RAPPORT_STATUS_OK) {
        printf("health: %s\n", serving_name(health->status));
        rapport__health__v1__health_check_response__free_unpacked(health, NULL);
    } else {
        fprintf(stderr, "health check: %s: %s\n", rapport_status_code_name(status.code), status.message);
        failures++;
    }

    /* Diagnostics/Echo. */
    Rapport__Diagnostics__V1__EchoRequest echo = RAPPORT__DIAGNOSTICS__V1__ECHO_REQUEST__INIT;
    echo.payload.data = (uint8_t *)text;
    echo.payload.len = strlen(text);
    Rapport__Diagnostics__V1__EchoResponse *reply = NULL;
    if (rapport_diagnostics_v1_diagnostics_echo(conn, &echo, &reply, &options, &status) == RAPPORT_STATUS_OK) {
        printf("echo: %.*s\n", (int)reply->payload.len, (const char *)reply->payload.data);
        rapport__diagnostics__v1__echo_response__free_unpacked(reply, NULL);
    } else {
        fprintf(stderr, "echo: %s: %s\n", rapport_status_code_name(status.code), status.message);
        failures++;
    }

    uint64_t rtt = 0;
    if (rapport_ping(conn, 2000, &rtt, &status) == RAPPORT_STATUS_OK)
        printf("ping: %llu us\n", (unsigned long long)rtt);
    else {
        fprintf(stderr, "ping: %s: %s\n", rapport_status_code_name(status.code), status.message);
        failures++;
    }

    rapport_status_clear(&status);
    rapport_close(conn);
    return failures == 0 ? 0 : 1;
}
