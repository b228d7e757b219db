#!/usr/bin/env bash
# What authentication, masking, auditing and encryption at rest cost: the same calls against two
# rapportd binaries (before and after), alternated in one session so the machine's noise hits both.
#
# usage: benchmarks/security-cost/run.sh OLD_RAPPORTD NEW_RAPPORTD PROBE [CUSTOMERS] [ROUNDS]
# Each binary seeds its own book (CUSTOMERS customers, 2 interactions each) under $TMPDIR; the
# probe must be the new one (it sends the local admin token; an older daemon ignores it).
set -euo pipefail
old=$1 new=$2 probe=$3 customers=${4:-20000} rounds=${5:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-security-cost.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Seed, then start each daemon once and wait for its daily segment sweep to finish (it re-reads,
# and with encryption decrypts, every customer): a sweep running during a measurement would be
# counted against whichever binary ran it.
for side in old new; do
    binary=${!side}
    "$binary" seed --data-dir "$work/$side" --customers "$customers" --interactions-per-customer 2 >/dev/null
    "$binary" --port $((7600 + RANDOM % 200)) --data-dir "$work/$side" --log-level error &
    pid=$!
    for _ in $(seq 600); do
        swept=$(sqlite3 -readonly "$work/$side/rapport.sqlite" \
            "SELECT value FROM maintenance_state WHERE key = 'segment_sweep.day'" 2>/dev/null || true)
        [ -n "$swept" ] && break
        sleep 0.1
    done
    kill -TERM $pid; wait $pid || true
done

bench() { # side port label method json concurrency
    local out
    out=$("$probe" bench --port "$2" --data-dir "$work/$1" --duration 5 --concurrency "$6" "$4" "$5" 2>&1)
    local rate p50 p99
    rate=$(sed -n 's/^throughput: \([0-9.]*\) calls\/s.*/\1/p' <<<"$out")
    p50=$(sed -n 's/.*p50: \([0-9.]*\) ms.*/\1/p' <<<"$out")
    p99=$(sed -n 's/.*p99: \([0-9.]*\) ms.*/\1/p' <<<"$out")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$3" "$1" "$6" "$rate" "$p50" "$p99"
}

echo "| call | binary | in flight | calls/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for round in $(seq "$rounds"); do
    for side in old new; do
        binary=${!side}
        port=$((7600 + RANDOM % 200))
        "$binary" --port "$port" --data-dir "$work/$side" --log-level error &
        pid=$!
        for _ in $(seq 100); do "$probe" health --port "$port" --data-dir "$work/$side" >/dev/null 2>&1 && break; sleep 0.1; done
        id=$(sqlite3 -readonly "$work/$side/rapport.sqlite" "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET $((customers / 2))")
        bench $side $port GetCustomer /rapport.v1.CustomerService/GetCustomer "{\"id\":\"$id\"}" 64
        bench $side $port "ListCustomers (50 a page)" /rapport.v1.CustomerService/ListCustomers '{"pageSize":50}' 16
        bench $side $port "ListCustomers name prefix" /rapport.v1.CustomerService/ListCustomers '{"pageSize":20,"namePrefix":"Mar"}' 16
        now=$(date -u +%FT%TZ)
        bench $side $port LogInteraction /rapport.v1.InteractionService/LogInteraction \
            "{\"interaction\":{\"customerId\":\"$id\",\"channel\":\"CHANNEL_MOBILE_APP\",\"kind\":\"INTERACTION_KIND_TRANSACTION\",\"occurredAt\":\"$now\",\"summary\":\"Card payment\"}}" 64
        kill -TERM $pid; wait $pid || true
    done
done
