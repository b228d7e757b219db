"""Many concurrent callers on one connection: every answer reaches the right caller."""
from __future__ import annotations

import asyncio
import random
import threading
from concurrent.futures import ThreadPoolExecutor

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport_client import AsyncClient, Client


def test_50_threads_share_one_blocking_client(daemon):
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=20) as client:
        barrier = threading.Barrier(50)

        def worker(index: int) -> int:
            barrier.wait()  # all threads call at once
            rng = random.Random(index)
            for round_ in range(8):
                payload = f"thread {index} round {round_} ".encode() * rng.randint(1, 200)
                reply = client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=payload, delay_ms=rng.randint(0, 20)))
                assert reply.payload == payload
            with client.health.watch() as stream:
                assert next(stream).status == 1
            return index

        with ThreadPoolExecutor(max_workers=50) as pool:
            assert sorted(pool.map(worker, range(50))) == list(range(50))
        assert client.health.check().status == 1


def test_200_tasks_share_one_async_client(start_daemon):
    # The default limit is 128 calls per connection; 200 at once need a higher one.
    daemon = start_daemon("--max-concurrent-calls", "256")

    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token, timeout=20) as client:
            rng = random.Random(7)

            async def one(index: int) -> bytes:
                payload = f"task {index} ".encode() * rng.randint(1, 300)
                reply = await client.diagnostics.echo(
                    diagnostics_pb2.EchoRequest(payload=payload, delay_ms=rng.randint(0, 50))
                )
                assert reply.payload == payload
                return reply.payload

            replies = await asyncio.gather(*(one(i) for i in range(200)))
            assert [r.split(b" ")[1] for r in replies] == [str(i).encode() for i in range(200)]

    asyncio.run(asyncio.wait_for(scenario(), 30))
