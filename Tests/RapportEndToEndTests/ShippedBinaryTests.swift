import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

/// Defects that showed only in the optimised binary users run, tried against the spawned
/// `rapportd` (under scripts/test the release build, `Probe.rapportd`), so a crash kills that
/// process rather than the test.
@Suite("The shipped rapportd binary")
struct ShippedBinaryTests {
    /// A retried CreateCustomer (same request id, a profile with a date of birth) crashed the
    /// release daemon: see `SQLiteCustomerStore.create`'s note on the compiler defect.
    @Test func retriedCreatesWithADateOfBirthAnswerTheFirstCustomer() async throws {
        let daemon = try await DaemonProcess.start()
        defer {
            daemon.process.send(SIGKILL)
            try? FileManager.default.removeItem(at: daemon.directory)
        }
        let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
        let request = Rapport_V1_CreateCustomerRequest.with {
            $0.requestID = "r-2"
            $0.externalRef = "EXT-9"
            $0.profile = .with {
                $0.fullName = "Idem Potent"
                $0.dateOfBirth = .with { $0.year = 1985; $0.month = 3; $0.day = 14 }
            }
        }
        let first = try await client.customers.createCustomer(request)
        let retry = try await client.customers.createCustomer(request)
        #expect(retry.id == first.id)

        // Without an external ref, and eight at once sharing one request id: one customer.
        var sharedRequest = request
        sharedRequest.requestID = "r-3"
        sharedRequest.externalRef = ""
        let shared = sharedRequest
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.customers.createCustomer(shared).id }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(!ids.contains(first.id))
        #expect(daemon.process.isRunning)
        await client.close()
        #expect(await daemon.stop() == 0)
    }

    /// A crash must end the process at once so its supervisor restarts it: the runtime's
    /// backtracer runs with `CrashBacktraces.productionSettings` (the crashed thread, addresses
    /// and image build ids, no symbol lookups) and still writes its report to the log. SIGSEGV
    /// from outside runs the same handler as a fault (a fault then kills the process; a signal
    /// sent with kill does not recur, so the test ends the daemon itself).
    @Test func aCrashReportIsWrittenPromptly() async throws {
        let daemon = try await DaemonProcess.start()
        defer {
            daemon.process.send(SIGKILL)
            try? FileManager.default.removeItem(at: daemon.directory)
        }
        // Still named rapportd after re-executing itself with the settings (not "exe").
        let name = try String(contentsOfFile: "/proc/\(daemon.pid)/comm", encoding: .utf8)
        #expect(name == "rapportd\n")
        let logFile = daemon.directory.appendingPathComponent("rapportd.log")
        daemon.process.send(SIGSEGV)
        var log = ""
        let reported = await eventually(within: .seconds(30)) {
            log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            return log.contains("Backtrace took")
        }
        #expect(reported, "no crash report in the log:\n\(log)")
        // The runtime's defaults (every thread, symbolicated with line numbers) take many seconds.
        let took = log.firstMatch(of: /Backtrace took ([0-9.]+)s/).flatMap { Double($0.1) }
        #expect(took.map { $0 < 2 } == true, "backtrace took \(took.map { "\($0)" } ?? "?") s")
        // Only the crashed thread.
        #expect(log.matches(of: #/\nThread [0-9]+ /#).count == 1, "not exactly one thread reported:\n\(log)")
        #expect(log.contains("Program crashed"))
    }
}
