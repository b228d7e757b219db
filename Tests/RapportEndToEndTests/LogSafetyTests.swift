import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

/// What the real `rapportd` writes to its log about failed calls: the status, the method, the
/// request id and a summary — never a line a caller forged, never the values a caller sent, and
/// never an oversized line — while the caller still gets the full message.
@Suite("End to end: the log cannot be forged, flooded or fed personal data", .serialized)
struct LogSafetyTests {
    /// The longest line the daemon may write for a failed call.
    static let maxLineLength = 600

    @Test("newlines, 4 MiB ids and personal data in failing requests stay out of the log")
    func failedCallsLogNoCallerValues() async throws {
        let daemon = try await DaemonProcess.start(["--sqlite-synchronous", "off"])
        let log = daemon.directory.appendingPathComponent("rapportd.log")
        var failure: (any Error)?
        do {
            try await Self.check(daemon: daemon, log: log)
        } catch {
            failure = error
        }
        _ = await daemon.stop()
        if let failure { Issue.record(failure) }
    }

    private static func check(daemon: DaemonProcess, log: URL) async throws {
        let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
        func options(_ requestID: String) -> CallOptions { CallOptions(timeout: .seconds(30), metadata: ["x-request-id": requestID]) }
        var secrets: [String] = []

        // A forged line: the id carries a line break and what would follow it in the log.
        let forged = "cus_missing\n2026-12-07T10:00:00+0000 info rapportd: [RapportServices] customer deleted FORGED-LINE"
        let newline = await rpcError {
            _ = try await client.unary(Rapport_V1_CustomerService.Method.getCustomer, .with { $0.id = forged }, options: options("log-newline"))
        }
        #expect(newline?.code == .notFound)
        #expect(newline?.message.contains(forged) == true, "the caller still gets the full message")
        secrets.append("FORGED-LINE")

        // Three ids of almost 4 MiB (the frame limit).
        let sizeBefore = try Self.size(of: log)
        for index in 0..<3 {
            let huge = String(repeating: "Z", count: 4 * 1024 * 1024 - 4096)
            let error = await rpcError {
                _ = try await client.unary(
                    Rapport_V1_CustomerService.Method.getCustomer, .with { $0.id = huge }, options: options("log-huge-\(index)"))
            }
            #expect(error?.code == .notFound)
        }
        #expect(await eventually { Self.lines(of: log).contains { $0.contains("log-huge-2") } })
        let growth = try Self.size(of: log) - sizeBefore
        #expect(growth < 3 * Self.maxLineLength, "three calls with 4 MiB ids grew the log by \(growth) bytes")
        secrets.append(String(repeating: "Z", count: 100))

        // A date of birth and an amount, quoted back to the caller in INVALID_ARGUMENT.
        let birth = await rpcError {
            _ = try await client.unary(Rapport_V1_CustomerService.Method.createCustomer, .with {
                $0.profile.fullName = "Private Person"
                $0.profile.dateOfBirth = .with { $0.year = 1899; $0.month = 5; $0.day = 17 }
            }, options: options("log-birth"))
        }
        #expect(birth?.message.contains("1899-05-17") == true)
        let amount = await rpcError {
            _ = try await client.unary(Rapport_V1_CustomerService.Method.createCustomer, .with {
                $0.profile.fullName = "Private Person"
                $0.profile.annualIncome = .with { $0.minorUnits = -987_654_321; $0.currencyCode = "GBP" }
            }, options: options("log-amount"))
        }
        #expect(amount?.message.contains("-987654321") == true)
        secrets += ["1899-05-17", "987654321"]

        // An external reference, quoted in NOT_FOUND.
        let external = await rpcError {
            _ = try await client.unary(
                Rapport_V1_CustomerService.Method.getCustomer, .with { $0.externalRef = "EXT-PRIVATE-4711" }, options: options("log-ref"))
        }
        #expect(external?.message.contains("EXT-PRIVATE-4711") == true)
        secrets.append("EXT-PRIVATE-4711")

        // LogInteraction: an occurred_at and a customer id quoted back.
        let interaction = await rpcError {
            _ = try await client.unary(Rapport_V1_InteractionService.Method.logInteraction, .with {
                $0.interaction = .with {
                    $0.customerID = "cus_PRIVATE_ID"
                    $0.channel = .branch
                    $0.kind = .inquiry
                    $0.occurredAt = .init(seconds: 253_402_300_800 + 4711, nanos: 0)
                }
            }, options: options("log-interaction"))
        }
        #expect(interaction?.message.contains("253402305511") == true)
        secrets.append("253402305511")
        await client.close()

        // Credentials: a refused call's wrong token and the local admin's token stay out of the log.
        let wrongToken = "rapport_" + String(repeating: "W", count: 43)
        let stranger = try await RapportClient.connect(
            host: "127.0.0.1", port: daemon.port, configuration: ClientConfiguration(bearerToken: wrongToken))
        let refused = await rpcError {
            _ = try await stranger.unary(Rapport_V1_CustomerService.Method.getCustomer, .with { $0.id = "cus_x" }, options: options("log-token"))
        }
        #expect(refused?.code == .unauthenticated)
        await stranger.close()
        secrets.append(wrongToken)
        if let token = daemon.localToken { secrets.append(token) } else { Issue.record("the daemon wrote no local admin token") }

        let requestIDs = ["log-newline", "log-huge-0", "log-birth", "log-amount", "log-ref", "log-interaction"]
        #expect(await eventually { (requestIDs + ["log-token"]).allSatisfy { id in Self.lines(of: log).contains { $0.contains(id) } } })
        let lines = Self.lines(of: log)
        let refusal = lines.first { $0.contains("request_id=log-token") && $0.contains("call refused") }
        #expect(refusal?.contains("status=UNAUTHENTICATED") == true, "\(String(describing: refusal))")
        for id in requestIDs {
            let line = lines.first { $0.contains("request_id=\(id)") && $0.contains("call failed") }
            #expect(line != nil, "no 'call failed' line for \(id)")
            #expect(line?.contains("status=") == true && line?.contains("method=/rapport.v1.") == true)
        }
        #expect(lines.contains { $0.contains("request_id=log-birth") && $0.contains("profile.date_of_birth: invalid") })
        for secret in secrets {
            let leaking = lines.filter { $0.contains(secret) }
            #expect(leaking.isEmpty, "the log holds \(secret.prefix(40)): \(leaking.map { $0.prefix(300) })")
        }
        let long = lines.filter { $0.count > Self.maxLineLength }
        #expect(long.isEmpty, "lines longer than \(Self.maxLineLength): \(long.map { $0.prefix(200) })")
    }

    private static func lines(of log: URL) -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private static func size(of log: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int) ?? 0
    }
}
