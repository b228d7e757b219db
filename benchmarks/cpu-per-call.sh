#!/usr/bin/env bash
# CPU time per call of a daemon and of the probe loading it: robust on a shared, busy machine,
# where calls/s only measures the share of CPU the benchmark got.
#
#   benchmarks/cpu-per-call.sh DAEMON_PID PROBE PORT CONCURRENCY [METHOD [JSON]]
#   benchmarks/cpu-per-call.sh "$(pgrep -f 'rapportd --port 7420')" .build/release/rapport-probe 7420 64 \
#       /rapport.v1.CustomerService/GetCustomer '{"id":"cus_..."}'
set -euo pipefail
daemon_pid=$1 probe=$2 port=$3 concurrency=$4
shift 4
ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$daemon_pid/stat"; }

before=$(cpu_ticks)
output=$({ /usr/bin/time -f "PROBE_CPU %U %S" "$probe" bench --port "$port" --duration 4 --concurrency "$concurrency" "$@"; } 2>&1)
after=$(cpu_ticks)

calls=$(sed -n 's/^calls ok: \([0-9]*\).*/\1/p' <<<"$output")
probe_seconds=$(awk '/^PROBE_CPU/ { print $2 + $3 }' <<<"$output")
grep -E "^(throughput|latency)" <<<"$output"
python3 - "$before" "$after" "$ticks_per_second" "$probe_seconds" "$calls" <<'PY'
import sys
before, after, hz, probe, calls = (float(v) for v in sys.argv[1:])
print(f"daemon CPU per call: {(after - before) / hz * 1e6 / calls:.0f} µs; probe CPU per call: {probe * 1e6 / calls:.0f} µs")
PY
