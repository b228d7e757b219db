import ArgumentParser
import Foundation
import RapportClient
import RapportWire

/// `rapport-probe bench`: closed-loop load on one unary method, with throughput and latency percentiles.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a unary method and report throughput and latency.",
        discussion: """
            Runs CONCURRENCY callers per connection, each sending its next call when the last one \
            answers, for DURATION seconds. Defaults to Diagnostics/Echo with a PAYLOAD_SIZE-byte payload.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Connections to open.")
    var connections = 1

    @Option(help: "Calls in flight per connection.")
    var concurrency = 16

    @Option(help: "Seconds to run (at most 600).")
    var duration: Double = 5

    @Option(name: .customLong("payload-size"), help: "Echo payload bytes (when METHOD is not given).")
    var payloadSize = 64

    static let echo = "/rapport.diagnostics.v1.Diagnostics/Echo"

    @Option(name: .customLong("requests"), help: "A file of JSON requests, one per line, sent in turn (instead of JSON).")
    var requestsFile: String?

    @Argument(help: "A unary method; defaults to /rapport.diagnostics.v1.Diagnostics/Echo.")
    var method = Bench.echo

    @Argument(help: "The request as JSON; defaults to an Echo request with --payload-size bytes, or {} for other methods.")
    var json: String?

    func validate() throws {
        guard (1...64).contains(connections) else { throw ValidationError("--connections must be 1...64") }
        guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1024") }
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be in (0, 600] seconds") }
        guard (0...(4 << 20) - 1024).contains(payloadSize) else { throw ValidationError("--payload-size must fit a frame") }
    }

    func run() async throws {
        let echoRequest = #"{"payload": "\#(Data(repeating: 0x61, count: payloadSize).base64EncodedString())"}"#
        let request = json ?? ([Self.echo, String(Self.echo.dropFirst())].contains(method) ? echoRequest : "{}")
        try await ProbeSession.run(connection) { session in
            let call = try await ResolvedCall.resolve(method: method, json: request, client: session.client, options: session.options)
            guard !call.info.serverStreaming else {
                throw ProbeSession.fail("bench loads unary methods; \(call.path) is server-streaming")
            }
            let payloads = try requestsFile.map { try Self.payloads(call, file: $0) } ?? [call.payload]
            var clients = [session.client]
            for _ in 1..<connections {
                clients.append(try await RapportClient.connect(host: connection.host, port: connection.port, configuration: try connection.clientConfiguration()))
            }
            let end = ContinuousClock.now + .milliseconds(Int64(duration * 1000))
            let started = ContinuousClock.now
            let workers = clients.count * concurrency
            let results = await withTaskGroup(of: BenchResult.self) { group in
                for (c, client) in clients.enumerated() {
                    for slot in 0..<concurrency {
                        // Each worker takes every `workers`-th request from its own start, so together
                        // they send the file's requests in turn without sharing a counter.
                        let worker = Worker(first: c * concurrency + slot, stride: workers)
                        group.addTask { await Self.load(client, call.path, payloads, worker, options: session.options, until: end) }
                    }
                }
                return await group.reduce(into: BenchResult()) { $0.merge($1) }
            }
            let elapsed = ContinuousClock.now - started
            for client in clients.dropFirst() {
                await client.close()
            }
            print(results.report(elapsed: elapsed, connections: connections, concurrency: concurrency))
        }
    }

    /// Which of the requests one load task sends: `first`, then every `stride`-th after it.
    struct Worker {
        let first: Int
        let stride: Int
    }

    /// Every line of `file` that is not blank, as a request of `call`'s method.
    private static func payloads(_ call: ResolvedCall, file: String) throws -> [[UInt8]] {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ProbeSession.fail("cannot read --requests \(file): \(error.localizedDescription)")
        }
        let payloads = try text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
            .map { try call.payload(json: String($0)) }
        guard !payloads.isEmpty else { throw ProbeSession.fail("--requests \(file) holds no request") }
        return payloads
    }

    private static func load(
        _ client: RapportClient, _ path: String, _ payloads: [[UInt8]], _ worker: Worker, options: CallOptions,
        until end: ContinuousClock.Instant
    ) async -> BenchResult {
        var result = BenchResult()
        var next = worker.first % payloads.count
        while ContinuousClock.now < end {
            let sent = ContinuousClock.now
            let payload = payloads[next]
            next = (next + worker.stride) % payloads.count
            do {
                _ = try await client.unaryRaw(path: path, payload: payload, options: options)
                result.latencies.append(ContinuousClock.now - sent)
            } catch let error as RPCError {
                result.failures[error.code.description, default: 0] += 1
                if error.code == .unavailable { break }
            } catch {
                result.failures["\(type(of: error))", default: 0] += 1
            }
        }
        return result
    }
}

/// What a bench run measured: each successful call's latency and the failures by status code.
struct BenchResult {
    var latencies: [Duration] = []
    var failures: [String: Int] = [:]

    mutating func merge(_ other: BenchResult) {
        latencies += other.latencies
        failures.merge(other.failures, uniquingKeysWith: +)
    }

    func report(elapsed: Duration, connections: Int, concurrency: Int) -> String {
        let sorted = latencies.sorted()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percentile(_ p: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            let value = sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
            return String(format: "%.3f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
        }
        var lines = [
            "connections: \(connections), in flight per connection: \(concurrency), elapsed: \(String(format: "%.2f", seconds)) s",
            "calls ok: \(sorted.count), failed: \(failures.values.reduce(0, +))",
            "throughput: \(String(format: "%.0f", Double(sorted.count) / max(seconds, 0.001))) calls/s",
            "latency p50: \(percentile(0.50)), p90: \(percentile(0.90)), p99: \(percentile(0.99)), max: \(percentile(1.0))",
        ]
        for (code, count) in failures.sorted(by: { $0.key < $1.key }) {
            lines.append("failed with \(code): \(count)")
        }
        return lines.joined(separator: "\n")
    }
}
