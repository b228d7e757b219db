# pingpong.py: the bare loopback round trip in Python, for comparison with loopback-floor's `posix` mode.
# Two processes (fork), blocking sockets, TCP_NODELAY, a 40-byte message echoed for 3 seconds;
# prints the count and p50/p90/p99 in microseconds. Run: python3 benchmarks/loopback-floor/pingpong.py
# (copied unchanged from the script the issue 4 discussion measured with).
import socket, threading, time, statistics, os, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
if os.fork() == 0:
    c, _ = srv.accept(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = c.recv(64)
        if not d: os._exit(0)
        c.sendall(d)
s = socket.create_connection(("127.0.0.1", port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
lat = []
end = time.time() + 3
while time.time() < end:
    t = time.perf_counter_ns(); s.sendall(b"x" * 40); s.recv(64); lat.append(time.perf_counter_ns() - t)
lat.sort()
print(f"n={len(lat)} p50={lat[len(lat)//2]/1000:.0f}us p90={lat[int(len(lat)*.9)]/1000:.0f}us p99={lat[int(len(lat)*.99)]/1000:.0f}us")
