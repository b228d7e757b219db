import Foundation
import RapportTesting
import Testing

@Suite("rapport-probe against a live daemon")
struct ProbeTests {
    @Test func healthExitsZeroWhenServing() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run(["health", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory])
            #expect(run.status == 0)
            #expect(run.output == "status: SERVING\n")
        }
    }

    @Test func healthOfAnUnknownServiceExitsFour() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run(["health", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "--service", "rapport.nope.v1.Nope"])
            #expect(run.status == 4)
            #expect(run.output == "status: SERVICE_UNKNOWN\n")
        }
    }

    @Test func unreachableDaemonExitsTwo() async throws {
        let refusing = try RefusingPort()
        let run = try await Probe.run(["health", "--port", "\(refusing.port)"])
        #expect(run.status == 2)
        #expect(run.errors == "rapport-probe: cannot connect to 127.0.0.1:\(refusing.port): connection refused (is rapportd running on that port?)\n")
        #expect(!run.errors.contains("errno"))
    }

    /// A timeout no deadline can hold (or not a number) is a usage error, not a crash.
    @Test(arguments: ["1e300", "-1", "nan", "inf"])
    func unusableTimeoutIsAUsageError(_ timeout: String) async throws {
        let run = try await Probe.run(["health", "--port", "7420", "--timeout=\(timeout)"])
        #expect(run.status == 64)
        #expect(run.errors.contains("--timeout must be 0 (no deadline) to 31536000 seconds"))
    }

    @Test func listShowsEveryMethod() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run(["list", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory])
            #expect(run.status == 0)
            #expect(run.output.contains(
                "  /rapport.diagnostics.v1.Diagnostics/Echo(rapport.diagnostics.v1.EchoRequest) returns (rapport.diagnostics.v1.EchoResponse)"))
            #expect(run.output.contains("returns (stream rapport.health.v1.HealthCheckResponse)"))
        }
    }

    @Test func callMapsJSONBothWays() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run([
                "call", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "/rapport.diagnostics.v1.Diagnostics/Echo", #"{"payload": "aGVsbG8="}"#,
            ])
            #expect(run.status == 0)
            #expect(run.output == "{\"payload\":\"aGVsbG8=\"}\n")
        }
    }

    @Test func failedCallPrintsItsStatusAndExitsThree() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run([
                "call", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "/rapport.diagnostics.v1.Diagnostics/Echo", #"{"delayMs": 60001}"#,
            ])
            #expect(run.status == 3)
            #expect(run.errors.contains("INVALID_ARGUMENT (3): delay_ms 60001 exceeds the maximum of 60000"))
            let unknown = try await Probe.run(["call", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "rapport.nope.v1.Nope/Missing", "{}"])
            #expect(unknown.status == 3)
            #expect(unknown.errors.contains("UNIMPLEMENTED (12)"))
        }
    }

    @Test func benchReportsThroughputAndLatency() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run(["bench", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "--duration", "0.3", "--concurrency", "4"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("failed: 0"))
            #expect(run.output.contains("latency p50: "))
            let calls = run.output.split(separator: "\n").first { $0.hasPrefix("calls ok: ") }
            #expect((calls?.dropFirst("calls ok: ".count).split(separator: ",").first).flatMap { Int($0) } ?? 0 > 0)
            let streaming = try await Probe.run(["bench", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "/rapport.health.v1.Health/Watch"])
            #expect(streaming.status == 1)
            #expect(streaming.errors.contains("server-streaming"))
        }
    }

    @Test func benchSendsTheRequestsOfAFileInTurn() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let customer = try await client.customers.createCustomer(CustomerFixtures.create())
            await client.close()
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            try "{\"id\": \"\(customer.id)\"}\n\n{\"id\": \"cus_missing\"}\n".write(to: file, atomically: true, encoding: .utf8)
            let method = "/rapport.v1.CustomerService/GetCustomer"
            let run = try await Probe.run([
                "bench", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "--duration", "0.3", "--concurrency", "2", "--requests", file.path, method,
            ])
            #expect(run.status == 0, "\(run.errors)")
            // Both lines were sent: the first one succeeds, the second is NOT_FOUND.
            let calls = run.output.split(separator: "\n").first { $0.hasPrefix("calls ok: ") }
            #expect((calls?.dropFirst("calls ok: ".count).split(separator: ",").first).flatMap { Int($0) } ?? 0 > 0)
            #expect(run.output.contains("failed with NOT_FOUND: "))
            try "{\"id\": 5}\n".write(to: file, atomically: true, encoding: .utf8)
            let bad = try await Probe.run(["bench", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "--requests", file.path, method])
            #expect(bad.status == 1)
            #expect(bad.errors.contains("not valid JSON for rapport.v1.GetCustomerRequest"))
        }
    }

    @Test func requestJSONThatDoesNotFitExitsOne() async throws {
        try await TestDaemon.run { daemon in
            let run = try await Probe.run([
                "call", "--port", "\(daemon.port)", "--data-dir", daemon.daemon.configuration.dataDirectory, "/rapport.diagnostics.v1.Diagnostics/Echo", #"{"payload": 5}"#,
            ])
            #expect(run.status == 1)
            #expect(run.errors.contains("not valid JSON for rapport.diagnostics.v1.EchoRequest"))
        }
    }
}

/// Runs the built rapport-probe executable and collects what it printed.
enum Probe {
    /// The executable sits beside the test bundle in the build folder (`swift build` builds it).
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rapport-probe")
    }

    /// The daemon the tests spawn: RAPPORTD when set (scripts/test sets it to the release binary
    /// users run), else the one beside the test bundle.
    static var rapportd: URL {
        ProcessInfo.processInfo.environment["RAPPORTD"].map(URL.init(fileURLWithPath:))
            ?? executable.deletingLastPathComponent().appendingPathComponent("rapportd")
    }

    static func run(_ arguments: [String]) async throws -> ProcessRun {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ProcessRun.Missing(path: executable.path, hint: "run `swift build` before `swift test`")
        }
        return try await ProcessRun.run(executable, arguments)
    }
}
