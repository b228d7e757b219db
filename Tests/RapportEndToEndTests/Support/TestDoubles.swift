import Foundation
import RapportProto
import RapportServer
import RapportWire
import Synchronization

typealias EchoRequest = Rapport_Diagnostics_V1_EchoRequest
typealias EchoResponse = Rapport_Diagnostics_V1_EchoResponse

/// Handlers that fail, hang or stream on demand, served beside the real services in tests.
struct TestDoubles: RPCService {
    static let service = "rapport.test.v1.Doubles"
    static let fail = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "Fail", kind: .unary)
    static let hang = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "Hang", kind: .unary)
    static let stream = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "Stream", kind: .serverStreaming)
    static let streamThenHang = MethodDescriptor<EchoRequest, EchoResponse>(
        service: service, method: "StreamThenHang", kind: .serverStreaming)
    /// Echo that counts as started before it sleeps for `delay_ms`, so tests know the call is in flight.
    static let slowEcho = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "SlowEcho", kind: .unary)
    /// Echo that counts as started and answers only once the test opens the gate named by its payload.
    static let gated = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "Gated", kind: .unary)
    static let hugeResponse = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "Huge", kind: .unary)
    /// Fails with a trailer of `delay_ms` bytes (like a batch's per-item error list).
    static let hugeTrailers = MethodDescriptor<EchoRequest, EchoResponse>(service: service, method: "HugeTrailers", kind: .unary)

    /// A detail of an internal failure that must never reach a caller.
    static let secret = "db password=hunter2 at /var/lib/rapport"

    /// Counts Hang, StreamThenHang, SlowEcho and Gated handlers that started.
    let started = Counter()
    /// The gates Gated handlers wait at.
    let gates = Gates()
    /// Counts handlers that saw their task cancelled.
    let cancellations = Counter()

    func register(into registry: inout MethodRegistry) {
        registry.register(Self.fail) { _, _ in
            throw InternalFailure(detail: Self.secret)
        }
        registry.register(Self.hang) { [started, cancellations] _, _ in
            started.record()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancellations.record()
                throw error
            }
            return EchoResponse()
        }
        // Sends `delay_ms` messages (as a count), each echoing the payload, 10 ms apart.
        registry.register(Self.stream) { request, writer, _ in
            for _ in 0..<request.delayMs {
                try await writer.send(.with { $0.payload = request.payload })
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        registry.register(Self.streamThenHang) { [started, cancellations] request, writer, _ in
            started.record()
            try await writer.send(.with { $0.payload = request.payload })
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancellations.record()
                throw error
            }
        }
        registry.register(Self.slowEcho) { [started] request, _ in
            started.record()
            try await Task.sleep(for: .milliseconds(Int64(request.delayMs)))
            return .with { $0.payload = request.payload }
        }
        registry.register(Self.gated) { [started, gates] request, _ in
            started.record()
            try await gates.wait(String(decoding: request.payload, as: UTF8.self))
            return .with { $0.payload = request.payload }
        }
        registry.register(Self.hugeResponse) { request, _ in
            .with { $0.payload = Data(count: Int(request.delayMs)) }
        }
        registry.register(Self.hugeTrailers) { request, _ in
            let details = String(repeating: "x", count: Int(request.delayMs))
            throw RPCError(code: .invalidArgument, message: "2 of 2 items failed", trailers: ["details": details])
        }
    }

    struct InternalFailure: Error {
        let detail: String
    }
}

/// A thread-safe counter of handler events, awaitable from tests.
final class Counter: Sendable {
    private let count = Mutex(0)

    func record() {
        count.withLock { $0 += 1 }
    }

    var value: Int { count.withLock { $0 } }

    /// Waits up to `timeout` for at least `expected` events.
    func wait(for expected: Int, timeout: Duration = .seconds(5)) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if value >= expected { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return value >= expected
    }
}

/// Named gates that handlers wait at until a test opens them; the order of answers is then the
/// test's, whatever the machine's load.
final class Gates: Sendable {
    private let opened = Mutex(Set<String>())

    func open(_ name: String) {
        _ = opened.withLock { $0.insert(name) }
    }

    /// Returns once `name` is open; throws if the task is cancelled first.
    func wait(_ name: String) async throws {
        while !opened.withLock({ $0.contains(name) }) {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
