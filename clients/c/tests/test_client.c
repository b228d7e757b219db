/*
 * test_client HOST PORT
 *
 * RAPPORT_TEST_DATA_DIR (the daemon's data directory) turns on the credential checks, and
 * RAPPORT_TEST_ROLES_PORT (a second daemon whose principals file has the manager and reader
 * tokens of test_auth.inc) the PERMISSION_DENIED and masking checks, and RAPPORT_TEST_TLS_PORT,
 * RAPPORT_TEST_TLS_DIR and RAPPORT_TEST_TLS_DATA_DIR (a daemon under mutual TLS, its CA and client
 * certificate, and its data directory) the TLS checks.
 *
 * Checks the C client against a live rapportd. Prints one line per check ("ok   ..." or
 * "FAIL ...: why") and ends with "N passed, M failed"; exits 1 if any check failed.
 *
 * With RAPPORT_TEST_DAEMON_PID set to the daemon's pid (clients/c/run-tests does this), it also
 * checks graceful shutdown at the end: it sends the daemon SIGTERM and expects the GoAway
 * drain described in docs/wire-protocol.md. The daemon is then on its way out.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rapport/client.h>
#include "rapport_stubs.h"

typedef Rapport__Health__V1__HealthCheckRequest HealthRequest;
typedef Rapport__Health__V1__HealthCheckResponse HealthResponse;
typedef Rapport__Diagnostics__V1__EchoRequest EchoRequest;
typedef Rapport__Diagnostics__V1__EchoResponse EchoResponse;

#define SERVING RAPPORT__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING
#define NOT_SERVING RAPPORT__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING
#define SERVICE_UNKNOWN RAPPORT__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN

static const char *host;
static uint16_t port;
static int passed, failed;

static void check(int ok, const char *name, const char *format, ...) __attribute__((format(printf, 3, 4)));

static void check(int ok, const char *name, const char *format, ...)
{
    if (ok) {
        passed++;
        printf("ok   %s\n", name);
    } else {
        failed++;
        printf("FAIL %s: ", name);
        va_list args;
        va_start(args, format);
        vprintf(format, args);
        va_end(args);
        printf("\n");
    }
    fflush(stdout);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static const char *code_name(rapport_status_code code)
{
    return rapport_status_code_name(code);
}

static const char *msg(const rapport_status *status)
{
    return status->message != NULL ? status->message : "(null)";
}

static rapport_conn *connect_or_null(const rapport_conn_options *options)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_conn *conn = NULL;
    if (rapport_connect(host, port, 2000, options, &conn, &status) != RAPPORT_STATUS_OK)
        check(0, "connect", "%s: %s", code_name(status.code), msg(&status));
    rapport_status_clear(&status);
    return conn;
}

/* Echo with a payload and delay; returns the code and, on OK, whether the payload came back. */
static rapport_status_code echo(rapport_conn *conn, const uint8_t *data, size_t len, uint32_t delay_ms,
                                uint32_t timeout_ms, int *same, rapport_status *status)
{
    EchoRequest request = RAPPORT__DIAGNOSTICS__V1__ECHO_REQUEST__INIT;
    request.payload.data = (uint8_t *)data;
    request.payload.len = len;
    request.delay_ms = delay_ms;
    rapport_call_options options = RAPPORT_CALL_OPTIONS_INIT;
    options.timeout_ms = timeout_ms;
    EchoResponse *response = NULL;
    rapport_status_code code = rapport_diagnostics_v1_diagnostics_echo(conn, &request, &response, &options, status);
    if (same != NULL)
        *same = response != NULL && response->payload.len == len &&
                (len == 0 || memcmp(response->payload.data, data, len) == 0);
    if (response != NULL)
        rapport__diagnostics__v1__echo_response__free_unpacked(response, NULL);
    return code;
}

static rapport_call *start_echo(rapport_conn *conn, const char *text, uint32_t delay_ms, rapport_status *status)
{
    EchoRequest request = RAPPORT__DIAGNOSTICS__V1__ECHO_REQUEST__INIT;
    request.payload.data = (uint8_t *)text;
    request.payload.len = strlen(text);
    request.delay_ms = delay_ms;
    rapport_call *call = NULL;
    rapport_diagnostics_v1_diagnostics_echo_start(conn, &request, NULL, &call, status);
    return call;
}

/* Finishes an echo call; returns 1 if it answered OK with text. */
static int finish_echo(rapport_call *call, const char *text, rapport_status *status)
{
    EchoResponse *response = NULL;
    rapport_status_code code = rapport_diagnostics_v1_diagnostics_echo_finish(call, &response, status);
    int ok = code == RAPPORT_STATUS_OK && response != NULL && response->payload.len == strlen(text) &&
             memcmp(response->payload.data, text, strlen(text)) == 0;
    if (response != NULL)
        rapport__diagnostics__v1__echo_response__free_unpacked(response, NULL);
    return ok;
}

/* ------------------------------------------------------------------------------------ */

static void test_status_names(void)
{
    int ok = strcmp(rapport_status_code_name(RAPPORT_STATUS_OK), "OK") == 0 &&
             strcmp(rapport_status_code_name(RAPPORT_STATUS_DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED") == 0 &&
             strcmp(rapport_status_code_name(RAPPORT_STATUS_UNAUTHENTICATED), "UNAUTHENTICATED") == 0 &&
             strcmp(rapport_status_code_name((rapport_status_code)99), "UNKNOWN") == 0;
    check(ok, "status code names", "unexpected names");
}

static void test_health(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    HealthResponse *response = NULL;
    rapport_status_code code = rapport_health_v1_health_check(conn, NULL, &response, NULL, &status);
    check(code == RAPPORT_STATUS_OK && response != NULL && response->status == SERVING, "health check: SERVING",
          "%s: %s (status %d)", code_name(code), msg(&status), response ? (int)response->status : -1);
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);
    response = NULL;

    HealthRequest request = RAPPORT__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
    request.service = "rapport.diagnostics.v1.Diagnostics";
    code = rapport_health_v1_health_check(conn, &request, &response, NULL, &status);
    check(code == RAPPORT_STATUS_OK && response != NULL && response->status == SERVING,
          "health check of a served service: SERVING", "%s: %s", code_name(code), msg(&status));
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);
    response = NULL;

    request.service = "no.such.Service";
    code = rapport_health_v1_health_check(conn, &request, &response, NULL, &status);
    check(code == RAPPORT_STATUS_OK && response != NULL && response->status == SERVICE_UNKNOWN,
          "health check of an unknown service: SERVICE_UNKNOWN in an OK response", "%s: %s (status %d)",
          code_name(code), msg(&status), response ? (int)response->status : -1);
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);
    rapport_status_clear(&status);
}

static void test_echo(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    int same = 0;
    const char *small = "hello, rapport";
    rapport_status_code code = echo(conn, (const uint8_t *)small, strlen(small), 0, 5000, &same, &status);
    check(code == RAPPORT_STATUS_OK && same, "echo small payload", "%s: %s same=%d", code_name(code), msg(&status),
          same);

    code = echo(conn, NULL, 0, 0, 5000, &same, &status);
    check(code == RAPPORT_STATUS_OK && same, "echo empty payload (empty response message)", "%s: %s",
          code_name(code), msg(&status));

    size_t big = 1024 * 1024;
    uint8_t *data = malloc(big);
    for (size_t i = 0; i < big; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 10));
    code = echo(conn, data, big, 0, 20000, &same, &status);
    check(code == RAPPORT_STATUS_OK && same, "echo 1 MiB payload", "%s: %s same=%d", code_name(code), msg(&status),
          same);
    free(data);

    /* With metadata, including the request id the server honours. */
    rapport_metadata metadata[] = { { "x-request-id", "c-client-test-1" }, { "x-custom", "value" } };
    rapport_call_options options = RAPPORT_CALL_OPTIONS_INIT;
    options.metadata = metadata;
    options.n_metadata = 2;
    EchoRequest request = RAPPORT__DIAGNOSTICS__V1__ECHO_REQUEST__INIT;
    EchoResponse *response = NULL;
    code = rapport_diagnostics_v1_diagnostics_echo(conn, &request, &response, &options, &status);
    check(code == RAPPORT_STATUS_OK && response != NULL, "echo with metadata", "%s: %s", code_name(code),
          msg(&status));
    if (response != NULL)
        rapport__diagnostics__v1__echo_response__free_unpacked(response, NULL);
    rapport_status_clear(&status);
}

static const Rapport__Reflection__V1__ServiceInfo *
find_service(const Rapport__Reflection__V1__ListServicesResponse *response, const char *name)
{
    for (size_t i = 0; i < response->n_services; i++)
        if (strcmp(response->services[i]->name, name) == 0)
            return response->services[i];
    return NULL;
}

static const Rapport__Reflection__V1__MethodInfo *find_method(const Rapport__Reflection__V1__ServiceInfo *service,
                                                              const char *name)
{
    for (size_t i = 0; service != NULL && i < service->n_methods; i++)
        if (strcmp(service->methods[i]->name, name) == 0)
            return service->methods[i];
    return NULL;
}

static void test_reflection(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    Rapport__Reflection__V1__ListServicesResponse *response = NULL;
    rapport_status_code code = rapport_reflection_v1_reflection_list_services(conn, NULL, &response, NULL, &status);
    if (code != RAPPORT_STATUS_OK) {
        check(0, "reflection ListServices", "%s: %s", code_name(code), msg(&status));
        rapport_status_clear(&status);
        return;
    }
    const Rapport__Reflection__V1__MethodInfo *watch =
        find_method(find_service(response, "rapport.health.v1.Health"), "Watch");
    check(watch != NULL && watch->server_streaming &&
              strcmp(watch->path, "/rapport.health.v1.Health/Watch") == 0,
          "reflection ListServices: rapport.health.v1.Health has Watch, server-streaming",
          "watch=%p streaming=%d", (const void *)watch, watch ? (int)watch->server_streaming : -1);

    int sorted = 1;
    for (size_t i = 1; i < response->n_services; i++)
        if (strcmp(response->services[i - 1]->name, response->services[i]->name) >= 0)
            sorted = 0;
    check(sorted, "reflection ListServices: services sorted by name", "not sorted");

    /* Every generated stub must match what the server serves. */
    char problem[512] = "";
    for (size_t s = 0; s < rapport_n_services && problem[0] == '\0'; s++) {
        const rapport_service *gen = rapport_services[s];
        const Rapport__Reflection__V1__ServiceInfo *served = find_service(response, gen->name);
        if (served == NULL) {
            snprintf(problem, sizeof problem, "service %s is not served", gen->name);
            break;
        }
        if (served->n_methods != gen->n_methods)
            snprintf(problem, sizeof problem, "%s: %zu methods served, %zu generated", gen->name,
                     served->n_methods, gen->n_methods);
        for (size_t m = 0; m < gen->n_methods && problem[0] == '\0'; m++) {
            const rapport_method *method = gen->methods[m];
            const Rapport__Reflection__V1__MethodInfo *info = find_method(served, method->name);
            if (info == NULL || strcmp(info->path, method->path) != 0 ||
                strcmp(info->request_type, method->request_type->name) != 0 ||
                strcmp(info->response_type, method->response_type->name) != 0 ||
                info->server_streaming != method->server_streaming)
                snprintf(problem, sizeof problem, "%s differs from the server's reflection", method->path);
        }
    }
    check(problem[0] == '\0' && rapport_n_services > 0, "generated stubs match the server's reflection", "%s",
          problem);
    rapport__reflection__v1__list_services_response__free_unpacked(response, NULL);

    Rapport__Reflection__V1__GetFileDescriptorSetResponse *files = NULL;
    code = rapport_reflection_v1_reflection_get_file_descriptor_set(conn, NULL, &files, NULL, &status);
    check(code == RAPPORT_STATUS_OK && files != NULL && files->file_descriptor_set.len > 0,
          "reflection GetFileDescriptorSet returns a descriptor set", "%s: %s", code_name(code), msg(&status));
    if (files != NULL)
        rapport__reflection__v1__get_file_descriptor_set_response__free_unpacked(files, NULL);
    rapport_status_clear(&status);
}

/* Creates a customer with a name only; its id (free it), or NULL after a failed check. */
static char *create_customer(rapport_conn *conn, rapport_status *status)
{
    Rapport__V1__CustomerProfile profile = RAPPORT__V1__CUSTOMER_PROFILE__INIT;
    profile.full_name = "Grace Hopper";
    Rapport__V1__CreateCustomerRequest request = RAPPORT__V1__CREATE_CUSTOMER_REQUEST__INIT;
    request.profile = &profile;
    Rapport__V1__Customer *customer = NULL;
    rapport_status_code code = rapport_v1_customer_service_create_customer(conn, &request, &customer, NULL, status);
    check(code == RAPPORT_STATUS_OK && customer != NULL, "CreateCustomer (for the interaction log)", "%s: %s",
          code_name(code), msg(status));
    char *id = customer != NULL ? strdup(customer->id) : NULL;
    if (customer != NULL)
        rapport__v1__customer__free_unpacked(customer, NULL);
    return id;
}

/* Logs a call-centre inquiry of the customer at `occurred` (Unix seconds). */
static rapport_status_code log_inquiry(rapport_conn *conn, const char *customer_id, int64_t occurred,
                                       Rapport__V1__Interaction **response, rapport_status *status)
{
    Google__Protobuf__Timestamp at = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
    at.seconds = occurred;
    Rapport__V1__Interaction interaction = RAPPORT__V1__INTERACTION__INIT;
    interaction.customer_id = (char *)customer_id;
    interaction.channel = RAPPORT__V1__CHANNEL__CHANNEL_CALL_CENTRE;
    interaction.kind = RAPPORT__V1__INTERACTION_KIND__INTERACTION_KIND_INQUIRY;
    interaction.occurred_at = &at;
    interaction.summary = "asked about ISA allowances";
    Rapport__V1__LogInteractionRequest request = RAPPORT__V1__LOG_INTERACTION_REQUEST__INIT;
    request.interaction = &interaction;
    return rapport_v1_interaction_service_log_interaction(conn, &request, response, NULL, status);
}

static void test_interactions(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    char *customer_id = create_customer(conn, &status);
    if (customer_id == NULL) {
        rapport_status_clear(&status);
        return;
    }
    int64_t now = (int64_t)time(NULL);
    Rapport__V1__Interaction *older = NULL, *newer = NULL;
    rapport_status_code code = log_inquiry(conn, customer_id, now - 3600, &older, &status);
    check(code == RAPPORT_STATUS_OK && older != NULL && strncmp(older->id, "int_", 4) == 0 &&
              strcmp(older->customer_id, customer_id) == 0 && older->recorded_at != NULL &&
              older->occurred_at != NULL && older->occurred_at->seconds == now - 3600,
          "LogInteraction records an inquiry with an id and recorded_at", "%s: %s", code_name(code), msg(&status));
    code = log_inquiry(conn, customer_id, now - 60, &newer, &status);
    check(code == RAPPORT_STATUS_OK && newer != NULL, "LogInteraction records a second inquiry", "%s: %s",
          code_name(code), msg(&status));

    Rapport__V1__ListInteractionsRequest list = RAPPORT__V1__LIST_INTERACTIONS_REQUEST__INIT;
    list.customer_id = customer_id;
    Rapport__V1__ListInteractionsResponse *page = NULL;
    code = rapport_v1_interaction_service_list_interactions(conn, &list, &page, NULL, &status);
    int newest_first = page != NULL && older != NULL && newer != NULL && page->n_interactions == 2 &&
                       strcmp(page->interactions[0]->id, newer->id) == 0 &&
                       strcmp(page->interactions[1]->id, older->id) == 0 && page->next_page_token[0] == '\0';
    check(code == RAPPORT_STATUS_OK && newest_first, "ListInteractions returns both, newest first", "%s: %s (%zu)",
          code_name(code), msg(&status), page != NULL ? page->n_interactions : (size_t)0);
    if (page != NULL)
        rapport__v1__list_interactions_response__free_unpacked(page, NULL);
    if (older != NULL)
        rapport__v1__interaction__free_unpacked(older, NULL);
    if (newer != NULL)
        rapport__v1__interaction__free_unpacked(newer, NULL);

    Rapport__V1__Interaction *missing = NULL;
    code = log_inquiry(conn, "cus_missing", now, &missing, &status);
    check(code == RAPPORT_STATUS_NOT_FOUND && missing == NULL && strstr(msg(&status), "cus_missing") != NULL,
          "LogInteraction for an unknown customer: NOT_FOUND", "%s: %s", code_name(code), msg(&status));
    if (missing != NULL)
        rapport__v1__interaction__free_unpacked(missing, NULL);
    free(customer_id);
    rapport_status_clear(&status);
}

/* GetRecommendations' error paths and GetOfferReport. */
static void test_recommendations(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    Rapport__V1__GetRecommendationsRequest ask = RAPPORT__V1__GET_RECOMMENDATIONS_REQUEST__INIT;
    ask.customer_id = "cus_missing";
    ask.channel = RAPPORT__V1__CHANNEL__CHANNEL_BRANCH;
    ask.max_results = 5;
    Rapport__V1__GetRecommendationsResponse *answer = NULL;
    rapport_status_code code = rapport_v1_recommendation_service_get_recommendations(conn, &ask, &answer, NULL, &status);
    check(code == RAPPORT_STATUS_NOT_FOUND && answer == NULL, "GetRecommendations for an unknown customer: NOT_FOUND",
          "%s: %s", code_name(code), msg(&status));
    rapport_status_clear(&status);

    ask.max_results = 51;
    code = rapport_v1_recommendation_service_get_recommendations(conn, &ask, &answer, NULL, &status);
    check(code == RAPPORT_STATUS_INVALID_ARGUMENT && strncmp(msg(&status), "max_results: ", 13) == 0,
          "GetRecommendations with max_results 51: INVALID_ARGUMENT naming max_results", "%s: %s", code_name(code),
          msg(&status));
    rapport_status_clear(&status);

    Rapport__V1__GetOfferReportRequest report_request = RAPPORT__V1__GET_OFFER_REPORT_REQUEST__INIT;
    Rapport__V1__OfferReport *report = NULL;
    code = rapport_v1_recommendation_service_get_offer_report(conn, &report_request, &report, NULL, &status);
    check(code == RAPPORT_STATUS_OK && report != NULL && report->total != NULL,
          "GetOfferReport answers with a total", "%s: %s", code_name(code), msg(&status));
    if (report != NULL)
        rapport__v1__offer_report__free_unpacked(report, NULL);
    rapport_status_clear(&status);
}

/* The product catalog: UpsertProduct creates a product, RetireProduct keeps it (inactive), and
 * the error paths answer with their status codes. */
static void test_products(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    Rapport__V1__ProductEligibility eligibility = RAPPORT__V1__PRODUCT_ELIGIBILITY__INIT;
    eligibility.min_age = 18;
    eligibility.max_age = 70;
    Rapport__V1__Product product = RAPPORT__V1__PRODUCT__INIT;
    product.code = "C_CLIENT_MORTGAGE";
    product.name = "Mortgage from C";
    product.category = RAPPORT__V1__PRODUCT_CATEGORY__PRODUCT_CATEGORY_MORTGAGE;
    product.eligibility = &eligibility;
    product.decline_cooldown_days = 365;
    Rapport__V1__UpsertProductRequest upsert = RAPPORT__V1__UPSERT_PRODUCT_REQUEST__INIT;
    upsert.product = &product;
    Rapport__V1__UpsertProductResponse *created = NULL;
    rapport_status_code code = rapport_v1_recommendation_service_upsert_product(conn, &upsert, &created, NULL, &status);
    check(code == RAPPORT_STATUS_OK && created != NULL && created->created && created->product->active &&
              created->product->revision == 1 && created->product->eligibility->max_age == 70,
          "UpsertProduct creates an active product", "%s: %s", code_name(code), msg(&status));
    if (created != NULL)
        rapport__v1__upsert_product_response__free_unpacked(created, NULL);
    rapport_status_clear(&status);

    Rapport__V1__RetireProductRequest retire = RAPPORT__V1__RETIRE_PRODUCT_REQUEST__INIT;
    retire.code = "C_CLIENT_MORTGAGE";
    Rapport__V1__Product *retired = NULL;
    code = rapport_v1_recommendation_service_retire_product(conn, &retire, &retired, NULL, &status);
    check(code == RAPPORT_STATUS_OK && retired != NULL && !retired->active && retired->retire_time != NULL &&
              retired->revision == 2,
          "RetireProduct keeps the product, inactive, as revision 2", "%s: %s", code_name(code), msg(&status));
    if (retired != NULL)
        rapport__v1__product__free_unpacked(retired, NULL);
    rapport_status_clear(&status);

    retire.code = "C_CLIENT_UNKNOWN";
    code = rapport_v1_recommendation_service_retire_product(conn, &retire, &retired, NULL, &status);
    check(code == RAPPORT_STATUS_NOT_FOUND, "RetireProduct of an unknown code: NOT_FOUND", "%s: %s", code_name(code),
          msg(&status));
    rapport_status_clear(&status);

    product.code = "c-client";
    code = rapport_v1_recommendation_service_upsert_product(conn, &upsert, &created, NULL, &status);
    check(code == RAPPORT_STATUS_INVALID_ARGUMENT && strncmp(msg(&status), "product.code: ", 14) == 0,
          "UpsertProduct with a malformed code: INVALID_ARGUMENT naming product.code", "%s: %s", code_name(code),
          msg(&status));
    rapport_status_clear(&status);
    test_recommendations(conn);
}

static void test_errors(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_message *response = NULL;
    rapport_status_code code = rapport_unary_call(conn, "/x.Y/Z", NULL, 0, NULL, &response, &status);
    check(code == RAPPORT_STATUS_UNIMPLEMENTED && response == NULL &&
              strcmp(msg(&status), "unknown method '/x.Y/Z'") == 0,
          "raw call of an unknown method: UNIMPLEMENTED", "%s: %s", code_name(code), msg(&status));
    rapport_message_free(response);

    code = echo(conn, NULL, 0, 60001, 5000, NULL, &status);
    check(code == RAPPORT_STATUS_INVALID_ARGUMENT && strstr(msg(&status), "60001") != NULL,
          "echo delay_ms 60001: INVALID_ARGUMENT", "%s: %s", code_name(code), msg(&status));

    static const uint8_t garbage[] = { 0xff, 0xff, 0xff };
    code = rapport_unary_call(conn, "/rapport.diagnostics.v1.Diagnostics/Echo", garbage, sizeof garbage, NULL,
                              &response, &status);
    check(code == RAPPORT_STATUS_INVALID_ARGUMENT && strstr(msg(&status), "does not decode") != NULL,
          "raw call with an undecodable payload: INVALID_ARGUMENT", "%s: %s", code_name(code), msg(&status));
    rapport_message_free(response);
    response = NULL;

    /* A raw unary call that works, to show the raw API returns bytes. */
    static const uint8_t check_request[] = { 0x0a, 0x00 }; /* HealthCheckRequest{service: ""} */
    code = rapport_unary_call(conn, "/rapport.health.v1.Health/Check", check_request, sizeof check_request, NULL,
                              &response, &status);
    check(code == RAPPORT_STATUS_OK && response != NULL && response->len == 2 && response->data[0] == 0x08 &&
              response->data[1] == 0x01,
          "raw unary call of Health/Check returns the serialized response", "%s: %s", code_name(code),
          msg(&status));
    rapport_message_free(response);

    /* A typed call with a request of the wrong type is refused locally. */
    rapport_call *call = NULL;
    EchoRequest wrong = RAPPORT__DIAGNOSTICS__V1__ECHO_REQUEST__INIT;
    code = rapport_call_start_method(conn, &rapport_health_v1_health_check_method, &wrong.base, NULL, &call, &status);
    check(code == RAPPORT_STATUS_INVALID_ARGUMENT && call == NULL, "request of the wrong type: INVALID_ARGUMENT",
          "%s: %s", code_name(code), msg(&status));
    rapport_status_clear(&status);
}

static void test_deadline(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    double start = now_ms();
    rapport_status_code code = echo(conn, NULL, 0, 2000, 200, NULL, &status);
    double elapsed = now_ms() - start;
    check(code == RAPPORT_STATUS_DEADLINE_EXCEEDED && elapsed >= 150 && elapsed < 1500,
          "echo delay 2000 ms with a 200 ms deadline: DEADLINE_EXCEEDED", "%s: %s after %.0f ms", code_name(code),
          msg(&status), elapsed);
    code = echo(conn, (const uint8_t *)"after", 5, 0, 5000, NULL, &status);
    check(code == RAPPORT_STATUS_OK, "connection works after a deadline", "%s: %s", code_name(code), msg(&status));
    rapport_status_clear(&status);
}

static void test_in_flight(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    /* Wait for B first, then A. */
    rapport_call *a = start_echo(conn, "call A", 800, &status);
    rapport_call *b = start_echo(conn, "call B", 50, &status);
    int ok_b = b != NULL && finish_echo(b, "call B", &status);
    int a_pending = a != NULL && !rapport_call_done(a);
    int ok_a = a != NULL && finish_echo(a, "call A", &status);
    check(ok_a && ok_b && a_pending, "two calls in flight: wait B (fast) then A (slow)",
          "a=%d b=%d a_pending_after_b=%d (%s)", ok_a, ok_b, a_pending, msg(&status));

    /* Wait for A first: B's answer arrives earlier and is queued meanwhile. */
    a = start_echo(conn, "call A2", 400, &status);
    b = start_echo(conn, "call B2", 0, &status);
    ok_a = a != NULL && finish_echo(a, "call A2", &status);
    int b_done = b != NULL && rapport_call_done(b);
    ok_b = b != NULL && finish_echo(b, "call B2", &status);
    check(ok_a && ok_b && b_done, "two calls in flight answered out of order: wait A, B already queued",
          "a=%d b=%d b_done_after_a=%d (%s)", ok_a, ok_b, b_done, msg(&status));

    /* Many at once, finished in start order while they complete in reverse order. */
    enum { N = 16 };
    rapport_call *calls[N];
    char texts[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i], "call %d", i);
        calls[i] = start_echo(conn, texts[i], (uint32_t)(20 * (N - i)), &status);
    }
    int good = 0;
    for (int i = 0; i < N; i++)
        good += calls[i] != NULL && finish_echo(calls[i], texts[i], &status);
    check(good == N, "16 calls in flight, completing in reverse order", "%d of %d answered correctly", good, N);
    rapport_status_clear(&status);
}

static void test_stream(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_call_options options = RAPPORT_CALL_OPTIONS_INIT;
    options.timeout_ms = 300;
    rapport_call *stream = NULL;
    double start = now_ms();
    rapport_status_code code = rapport_health_v1_health_watch_start(conn, NULL, &options, &stream, &status);
    if (code != RAPPORT_STATUS_OK) {
        check(0, "health watch", "start: %s: %s", code_name(code), msg(&status));
        rapport_status_clear(&status);
        return;
    }
    HealthResponse *response = NULL;
    code = rapport_health_v1_health_watch_next(stream, &response, &status);
    check(code == RAPPORT_STATUS_OK && response != NULL && response->status == SERVING,
          "health watch: first message SERVING", "%s: %s", code_name(code), msg(&status));
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);
    response = NULL;
    code = rapport_health_v1_health_watch_next(stream, &response, &status);
    double elapsed = now_ms() - start;
    check(code == RAPPORT_STATUS_DEADLINE_EXCEEDED && response == NULL && elapsed >= 250 && elapsed < 2000,
          "health watch with a 300 ms deadline: then DEADLINE_EXCEEDED", "%s: %s after %.0f ms", code_name(code),
          msg(&status), elapsed);
    code = rapport_health_v1_health_watch_next(stream, &response, &status);
    check(code == RAPPORT_STATUS_DEADLINE_EXCEEDED && response == NULL, "health watch: the end repeats",
          "%s: %s", code_name(code), msg(&status));
    rapport_health_v1_health_watch_close(stream);

    /* A stream closed early (Cancel sent); the connection stays usable. */
    stream = NULL;
    code = rapport_health_v1_health_watch_start(conn, NULL, NULL, &stream, &status);
    code = code == RAPPORT_STATUS_OK ? rapport_health_v1_health_watch_next(stream, &response, &status) : code;
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);
    rapport_health_v1_health_watch_close(stream);
    uint64_t rtt = 0;
    rapport_status_code ping = rapport_ping(conn, 2000, &rtt, &status);
    check(code == RAPPORT_STATUS_OK && ping == RAPPORT_STATUS_OK, "health watch closed early, connection usable",
          "%s / ping %s: %s", code_name(code), code_name(ping), msg(&status));
    rapport_status_clear(&status);
}

static void test_cancel(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_call *call = start_echo(conn, "slow", 5000, &status);
    double start = now_ms();
    rapport_call_cancel(call);
    EchoResponse *response = NULL;
    rapport_status_code code = rapport_diagnostics_v1_diagnostics_echo_finish(call, &response, &status);
    check(code == RAPPORT_STATUS_CANCELLED && response == NULL && now_ms() - start < 1000,
          "cancel an in-flight call: CANCELLED at once", "%s: %s", code_name(code), msg(&status));
    /* The server answers the cancelled id with CANCELLED; the client must ignore it. */
    int same = 0;
    code = echo(conn, (const uint8_t *)"next", 4, 100, 5000, &same, &status);
    check(code == RAPPORT_STATUS_OK && same, "connection works after a cancel", "%s: %s", code_name(code),
          msg(&status));
    rapport_status_clear(&status);
}

static void test_ping(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    uint64_t rtt = 0;
    rapport_status_code code = rapport_ping(conn, 2000, &rtt, &status);
    check(code == RAPPORT_STATUS_OK && rtt > 0, "ping", "%s: %s", code_name(code), msg(&status));

    /* A ping while a call is in flight: the call's answer is queued, not lost. */
    rapport_call *call = start_echo(conn, "during ping", 200, &status);
    code = rapport_ping(conn, 2000, &rtt, &status);
    int ok = call != NULL && finish_echo(call, "during ping", &status);
    check(code == RAPPORT_STATUS_OK && ok, "ping with a call in flight", "ping %s, call ok=%d (%s)", code_name(code),
          ok, msg(&status));
    rapport_status_clear(&status);
}

static void test_limits(rapport_conn *conn)
{
    rapport_status status = RAPPORT_STATUS_INIT;

    /* A request frame over the frame limit fails locally; nothing is sent. */
    size_t too_big = RAPPORT_DEFAULT_MAX_FRAME_SIZE + 1;
    uint8_t *data = calloc(1, too_big);
    rapport_status_code code = echo(conn, data, too_big, 0, 5000, NULL, &status);
    check(code == RAPPORT_STATUS_RESOURCE_EXHAUSTED && strstr(msg(&status), "not sent") != NULL,
          "request over the frame limit: RESOURCE_EXHAUSTED locally", "%s: %s", code_name(code), msg(&status));

    /* A request that fits but whose response would not: the server fails just that call. */
    size_t near = RAPPORT_DEFAULT_MAX_FRAME_SIZE - 64; /* request frame ~ limit - 1; EchoResponse = limit - 59 */
    code = echo(conn, data, near, 0, 20000, NULL, &status);
    check(code == RAPPORT_STATUS_RESOURCE_EXHAUSTED && strstr(msg(&status), "exceeds the frame limit") != NULL,
          "response over the server's frame limit: RESOURCE_EXHAUSTED", "%s: %s", code_name(code), msg(&status));
    code = rapport_ping(conn, 2000, NULL, &status);
    check(code == RAPPORT_STATUS_OK, "connection works after both", "%s: %s", code_name(code), msg(&status));

    /* The concurrent-call limit (128 by default): extra calls are refused, the rest complete. */
    enum { N = 130 };
    rapport_call *calls[N];
    for (int i = 0; i < N; i++)
        calls[i] = start_echo(conn, "limit", 1000, &status);
    int good = 0, refused = 0, other = 0;
    for (int i = 0; i < N; i++) {
        if (calls[i] == NULL) {
            other++;
            continue;
        }
        EchoResponse *response = NULL;
        code = rapport_diagnostics_v1_diagnostics_echo_finish(calls[i], &response, &status);
        if (code == RAPPORT_STATUS_OK)
            good++;
        else if (code == RAPPORT_STATUS_RESOURCE_EXHAUSTED && strstr(msg(&status), "in flight") != NULL)
            refused++;
        else
            other++;
        if (response != NULL)
            rapport__diagnostics__v1__echo_response__free_unpacked(response, NULL);
    }
    check(good == 128 && refused == 2 && other == 0, "130 concurrent calls: 128 answered, 2 RESOURCE_EXHAUSTED",
          "ok=%d refused=%d other=%d", good, refused, other);

    /* A client allowed to send bigger frames than the server takes gets a GoAway and loses the connection. */
    rapport_conn_options options = RAPPORT_CONN_OPTIONS_INIT;
    options.max_frame_size = 2 * RAPPORT_DEFAULT_MAX_FRAME_SIZE;
    rapport_conn *big = connect_or_null(&options);
    if (big != NULL) {
        code = echo(big, data, too_big, 0, 10000, NULL, &status);
        rapport_status_code goaway_code = RAPPORT_STATUS_OK;
        const char *goaway_message = NULL;
        uint64_t last = 99;
        int goaway = rapport_conn_goaway(big, &goaway_code, &goaway_message, &last);
        check(code == RAPPORT_STATUS_UNAVAILABLE && goaway && goaway_code == RAPPORT_STATUS_RESOURCE_EXHAUSTED &&
                  last == 0 && strstr(msg(&status), "GoAway") != NULL,
              "frame over the server's limit: GoAway RESOURCE_EXHAUSTED, call UNAVAILABLE",
              "%s: %s (goaway=%d %s '%s' last=%llu)", code_name(code), msg(&status), goaway,
              code_name(goaway_code), goaway_message ? goaway_message : "", (unsigned long long)last);
        code = rapport_health_v1_health_check(big, NULL, NULL, NULL, &status);
        check(code == RAPPORT_STATUS_UNAVAILABLE, "no new calls after GoAway: UNAVAILABLE", "%s: %s",
              code_name(code), msg(&status));
        rapport_close(big);
    }
    free(data);
    rapport_status_clear(&status);
}

static void test_connect_errors(void)
{
    /* A port nobody listens on: bind an ephemeral port, then close it. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    uint16_t closed_port = 1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        closed_port = ntohs(addr.sin_port);
    if (fd >= 0)
        close(fd);

    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_conn *conn = NULL;
    rapport_status_code code = rapport_connect("127.0.0.1", closed_port, 2000, NULL, &conn, &status);
    check(code == RAPPORT_STATUS_UNAVAILABLE && conn == NULL && strstr(msg(&status), "connection refused") != NULL,
          "connect to a closed port: UNAVAILABLE connection refused", "%s: %s", code_name(code), msg(&status));
    rapport_close(conn);

    code = rapport_connect("no-such-host.invalid", 7420, 2000, NULL, &conn, &status);
    check(code == RAPPORT_STATUS_UNAVAILABLE && conn == NULL && strstr(msg(&status), "resolve") != NULL,
          "connect to an unknown host: UNAVAILABLE", "%s: %s", code_name(code), msg(&status));
    rapport_close(conn);
    rapport_status_clear(&status);
}

static void test_close_with_calls(void)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_conn *conn = connect_or_null(NULL);
    if (conn == NULL)
        return;
    rapport_call *call = start_echo(conn, "orphan", 3000, &status);
    rapport_close(conn);
    rapport_message *message = NULL;
    rapport_status_code code = rapport_call_next(call, &message, &status);
    check(code == RAPPORT_STATUS_UNAVAILABLE && message == NULL && strstr(msg(&status), "closed by the client"),
          "closing the connection ends its calls: UNAVAILABLE", "%s: %s", code_name(code), msg(&status));
    rapport_call_free(call);
    rapport_status_clear(&status);
}

static void test_shutdown(pid_t daemon)
{
    rapport_status status = RAPPORT_STATUS_INIT;
    rapport_conn *conn = connect_or_null(NULL);
    if (conn == NULL)
        return;
    rapport_call *watch = NULL;
    HealthResponse *response = NULL;
    rapport_status_code code = rapport_health_v1_health_watch_start(conn, NULL, NULL, &watch, &status);
    if (code == RAPPORT_STATUS_OK)
        code = rapport_health_v1_health_watch_next(watch, &response, &status);
    int serving = code == RAPPORT_STATUS_OK && response != NULL && response->status == SERVING;
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);
    response = NULL;
    rapport_call *slow = start_echo(conn, "drain", 1500, &status);
    rapport_ping(conn, 2000, NULL, &status); /* the server has seen the Echo request */

    kill(daemon, SIGTERM);
    code = rapport_health_v1_health_watch_next(watch, &response, &status);
    check(serving && code == RAPPORT_STATUS_OK && response != NULL && response->status == NOT_SERVING,
          "shutdown: watchers see NOT_SERVING", "%s: %s", code_name(code), msg(&status));
    if (response != NULL)
        rapport__health__v1__health_check_response__free_unpacked(response, NULL);

    /* The GoAway arrives around the same time; give it a moment. */
    for (int i = 0; i < 50 && !rapport_conn_goaway(conn, NULL, NULL, NULL); i++)
        rapport_conn_process(conn, 20, &status);
    rapport_status_code goaway_code = RAPPORT_STATUS_OK;
    uint64_t last = 0;
    int goaway = rapport_conn_goaway(conn, &goaway_code, NULL, &last);
    check(goaway && goaway_code == RAPPORT_STATUS_UNAVAILABLE && last == rapport_call_id(slow),
          "shutdown: GoAway UNAVAILABLE with last_call_id of the last started call",
          "goaway=%d %s last=%llu (slow call %llu)", goaway, code_name(goaway_code), (unsigned long long)last,
          (unsigned long long)rapport_call_id(slow));

    code = rapport_health_v1_health_check(conn, NULL, NULL, NULL, &status);
    check(code == RAPPORT_STATUS_UNAVAILABLE, "shutdown: no new calls after GoAway", "%s: %s", code_name(code),
          msg(&status));
    code = rapport_ping(conn, 2000, NULL, &status);
    check(code == RAPPORT_STATUS_OK, "shutdown: pings answered while draining", "%s: %s", code_name(code),
          msg(&status));
    int ok = finish_echo(slow, "drain", &status);
    check(ok, "shutdown: a started call completes during the drain", "%s: %s", code_name(status.code), msg(&status));
    rapport_health_v1_health_watch_close(watch); /* Cancel honoured; then the server closes the connection */
    for (int i = 0; i < 100 && rapport_conn_process(conn, 20, &status) == RAPPORT_STATUS_OK; i++)
        ;
    code = rapport_conn_check(conn, &status);
    check(code == RAPPORT_STATUS_UNAVAILABLE && strstr(msg(&status), "closed by the server") != NULL,
          "shutdown: the server closes the drained connection", "%s: %s", code_name(code), msg(&status));
    rapport_close(conn);
    rapport_status_clear(&status);
}

#include "test_auth.inc"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
        return 2;
    }
    host = argv[1];
    port = (uint16_t)strtoul(argv[2], NULL, 10);
    const char *pid_text = getenv("RAPPORT_TEST_DAEMON_PID");
    /* run-tests passes the daemon's data directory: every connection finds its credential there
     * through RAPPORT_TOKEN_FILE, and the credential tests check the other sources. */
    const char *data_dir = getenv("RAPPORT_TEST_DATA_DIR");
    const char *roles_port = getenv("RAPPORT_TEST_ROLES_PORT");
    char token_file[1024];
    if (data_dir != NULL && data_dir[0] != '\0') {
        snprintf(token_file, sizeof token_file, "%s/local-admin.token", data_dir);
        setenv("RAPPORT_TOKEN_FILE", token_file, 1);
    }

    test_status_names();
    rapport_conn *conn = connect_or_null(NULL);
    if (conn != NULL) {
        check(1, "connect", "%s", "");
        test_health(conn);
        test_echo(conn);
        test_reflection(conn);
        test_interactions(conn);
        test_products(conn);
        test_errors(conn);
        test_deadline(conn);
        test_in_flight(conn);
        test_stream(conn);
        test_cancel(conn);
        test_ping(conn);
        test_limits(conn);
        rapport_status status = RAPPORT_STATUS_INIT;
        check(rapport_conn_check(conn, &status) == RAPPORT_STATUS_OK, "connection still healthy at the end", "%s",
              msg(&status));
        rapport_status_clear(&status);
        rapport_close(conn);
    }
    if (data_dir != NULL && data_dir[0] != '\0')
        test_credentials(data_dir);
    else
        printf("skip credential checks (RAPPORT_TEST_DATA_DIR not set)\n");
    if (roles_port != NULL && roles_port[0] != '\0')
        test_roles_and_masking((uint16_t)strtoul(roles_port, NULL, 10));
    else
        printf("skip role and masking checks (RAPPORT_TEST_ROLES_PORT not set)\n");
    const char *tls_port = getenv("RAPPORT_TEST_TLS_PORT");
    const char *tls_dir = getenv("RAPPORT_TEST_TLS_DIR");
    const char *tls_data_dir = getenv("RAPPORT_TEST_TLS_DATA_DIR");
    if (tls_port != NULL && tls_port[0] != '\0' && tls_dir != NULL && tls_data_dir != NULL)
        test_mutual_tls((uint16_t)strtoul(tls_port, NULL, 10), tls_dir, tls_data_dir);
    else
        printf("skip TLS checks (RAPPORT_TEST_TLS_PORT not set)\n");
    test_connect_errors();
    test_close_with_calls();
    if (pid_text != NULL && pid_text[0] != '\0')
        test_shutdown((pid_t)strtol(pid_text, NULL, 10));
    else
        printf("skip shutdown checks (RAPPORT_TEST_DAEMON_PID not set)\n");

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
