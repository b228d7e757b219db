import Foundation
import GRDB
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

@Suite("End to end: the audit trail")
struct AuditTrailTests {
    /// Every event matching `filter`, through every page.
    static func events(_ client: RapportClient, _ filter: Rapport_V1_AuditFilter = .init(), pageSize: Int32 = 3) async throws
        -> [Rapport_V1_AuditEvent]
    {
        var events: [Rapport_V1_AuditEvent] = []
        var token = ""
        repeat {
            let page = try await client.admins.listAuditEvents(.with {
                $0.filter = filter
                $0.pageSize = pageSize
                $0.pageToken = token
            })
            #expect(page.events.count <= Int(pageSize))
            events += page.events
            token = page.nextPageToken
        } while !token.isEmpty
        return events
    }

    @Test func writesReadsAndFailuresAreRecordedChainedAndExported() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            _ = try await client.customers.getCustomer(.with { $0.id = created.id })
            _ = try await client.customers.listCustomers(.init())
            _ = try await client.customers.setConsent(.with {
                $0.customerID = created.id
                $0.decisions = [.with {
                    $0.channel = .email
                    $0.purpose = .marketing
                    $0.granted = true
                    $0.source = .branch
                    $0.recordedBy = "staff-1"
                }]
            })
            let failed = await rpcError { _ = try await client.customers.deleteCustomer(.with { $0.id = "cus_missing" }) }
            #expect(failed?.code == .notFound)

            // Writes are in the trail when acknowledged; reads and failures once the recorder flushes.
            let customerPath = "/rapport.v1.CustomerService/"
            let all = await eventually {
                let events = (try? await Self.events(client)) ?? []
                return events.count >= 5
            }
            #expect(all)
            let events = try await Self.events(client)
            #expect(events.map(\.id) == Array(1...Int64(events.count)))
            let summary = events.map { "\($0.method.replacingOccurrences(of: customerPath, with: "")) \($0.outcome) \($0.detail)" }
            #expect(Set(summary) == [
                "CreateCustomer OK ", "GetCustomer OK read", "ListCustomers OK read", "SetConsent OK ", "DeleteCustomer NOT_FOUND failed",
            ], "\(summary)")
            #expect(events.first { $0.method.hasSuffix("CreateCustomer") }?.customerIds == [created.id])
            #expect(events.allSatisfy { !$0.requestID.isEmpty && $0.hash.count == 32 })
            // Who called is the credential's principal, and from where the connection's address.
            #expect(events.allSatisfy { $0.principal == "local-admin" && $0.peer.hasPrefix("127.0.0.1:") }, "\(events)")

            let byCustomer = try await Self.events(client, .with { $0.customerID = created.id })
            #expect(byCustomer.count == 4)
            let failures = try await Self.events(client, .with { $0.outcome = "NOT_FOUND" })
            #expect(failures.map(\.customerIds) == [["cus_missing"]])

            let verdict = try await client.admins.verifyAuditChain(.init())
            #expect(verdict.intact)
            #expect(verdict.events == Int64(events.count))
            #expect(verdict.headHash == events.last?.hash)

            var exported: [Rapport_V1_AuditEvent] = []
            for try await batch in try await client.admins.exportAuditEvents(.init()) {
                exported += batch.events
            }
            #expect(exported == events)
            var resumed: [Rapport_V1_AuditEvent] = []
            for try await batch in try await client.admins.exportAuditEvents(.with { $0.afterID = 2 }) {
                resumed += batch.events
            }
            #expect(resumed == Array(events.dropFirst(2)))

            let invalid = await rpcError {
                _ = try await client.admins.listAuditEvents(.with { $0.filter.outcome = "SOMETIMES" })
            }
            #expect(invalid?.code == .invalidArgument)
            await client.close()
        }
    }

    @Test func aConsentDecisionBeforeTheCustomerExistedIsRefusedAndTheAttemptRecorded() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            let refused = await rpcError {
                _ = try await client.customers.setConsent(.with {
                    $0.customerID = created.id
                    $0.decisions = [.with {
                        $0.channel = .email
                        $0.purpose = .marketing
                        $0.granted = true
                        $0.decidedAt = Google_Protobuf_Timestamp(date: Date().addingTimeInterval(-3600))
                        $0.source = .branch
                        $0.recordedBy = "staff-1"
                    }]
                })
            }
            #expect(refused?.code == .invalidArgument)
            #expect(refused?.message.hasPrefix("decisions[0].decided_at: must not lie before the customer was created") == true)
            let recorded = await eventually {
                let events = (try? await Self.events(client, .with { $0.method = "/rapport.v1.CustomerService/SetConsent" })) ?? []
                return events.map(\.outcome) == ["INVALID_ARGUMENT"] && events.first?.customerIds == [created.id]
            }
            #expect(recorded)
            await client.close()
        }
    }

    /// The configured window reaches SetConsent: a decision 20 days back, of a customer created
    /// 60 days back, is recorded as a plain write under a 30-day window.
    @Test func theConfiguredBackdatingWindowApplies() async throws {
        let clock = TestClock()
        try await TestDaemon.run(configure: {
            $0.clock = { clock.now }
            $0.consentBackdatingWindow = 30 * 86_400
        }) { daemon in
            let client = try await daemon.makeClient()
            clock.set(TestClock.start.addingTimeInterval(-60 * 86_400))
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            clock.set(TestClock.start)
            _ = try await client.customers.setConsent(.with {
                $0.customerID = created.id
                $0.decisions = [.with {
                    $0.channel = .email
                    $0.purpose = .marketing
                    $0.granted = true
                    $0.decidedAt = Google_Protobuf_Timestamp(date: TestClock.start.addingTimeInterval(-20 * 86_400))
                    $0.source = .branch
                    $0.recordedBy = "staff-1"
                }]
            })
            let events = try await Self.events(client, .with { $0.method = "/rapport.v1.CustomerService/SetConsent" })
            #expect(events.map(\.detail) == [""])
            await client.close()
        }
    }

    @Test func readEventsAreFlushedAtShutdown() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id = try await TestDaemon.run(configure: { $0.dataDirectory = directory }) { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            for _ in 0..<20 { _ = try await client.customers.getCustomer(.with { $0.id = created.id }) }
            await client.close()
            return created.id
        }
        let database = try DatabaseQueue(path: directory + "/rapport.sqlite")
        defer { try? database.close() }
        let reads = try await database.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_event_customers WHERE customer_id = ?", arguments: [id])
        }
        #expect(reads == 21)
    }

    @Test func aRowEditedInTheStoppedDaemonsFileIsNamedByVerify() async throws {
        let daemon = try await DaemonProcess.start(["--sqlite-synchronous", "off"])
        defer { try? FileManager.default.removeItem(at: daemon.directory) }
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            for index in 0..<4 {
                _ = try await client.customers.createCustomer(CustomerFixtures.create(CustomerFixtures.profile(name: "Customer \(index)")))
            }
            await client.close()
            let probe = try await Probe.run(["audit", "verify", "--port", "\(daemon.port)", "--data-dir", daemon.dataDirectory.path])
            #expect(probe.status == 0, "\(probe.output)\(probe.errors)")
            #expect(probe.output.hasPrefix("audit chain intact: 4 events"), "\(probe.output)")
        } catch {
            _ = await daemon.terminate()
            throw error
        }
        #expect(await daemon.terminate() == 0)

        let file = daemon.dataDirectory.appendingPathComponent("rapport.sqlite").path
        let database = try DatabaseQueue(path: file)
        try await database.write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET principal = 'mallory' WHERE id = 3")
        }
        try database.close()
        let offline = try await ProcessRun.run(Probe.rapportd, ["audit", "verify", "--data-dir", daemon.dataDirectory.path])
        #expect(offline.status == 5, "\(offline.output)\(offline.errors)")
        #expect(offline.output.contains("BROKEN at event 3"), "\(offline.output)")
    }
}
