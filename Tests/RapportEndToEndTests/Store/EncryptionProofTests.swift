import Foundation
import GRDB
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

/// Proof that personal data is kept sealed: after `rapportd seed` and a workload through the
/// daemon, none of the seeded or written personal values or note texts is in the database file,
/// its write-ahead log, the key database, a backup, or the daemon's log.
@Suite("End to end: personal data at rest", .serialized)
struct EncryptionProofTests {
    @Test func seededAndWrittenPersonalDataIsNowhereInTheFilesBackupsOrLog() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-proof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let seeded = try await ProcessRun.run(Probe.rapportd, [
            "seed", "--data-dir", data.path, "--customers", "12", "--interactions-per-customer", "5",
        ])
        #expect(seeded.status == 0, "\(seeded.errors)")
        #expect(seeded.output.contains("made a new master key"), "seeding says it made the key: \(seeded.output)")

        let daemon = try await DaemonProcess.start([], in: root)
        var needles: [String] = []
        // A scan of the files while the daemon runs, too (the log not yet copied into the file).
        var runningCopies: [Data] = []
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            let listed = try await client.customers.listCustomers(.with { $0.pageSize = 100 }).customers
            #expect(listed.count == 12)
            for customer in listed {
                needles += Self.personalValues(customer.profile) + [customer.externalRef]
                let history = try await client.interactions.listInteractions(.with {
                    $0.customerID = customer.id
                    $0.pageSize = 100
                })
                needles += history.interactions.flatMap { [$0.summary, $0.survey.reason] }
            }
            // The workload: creates, an update, interactions with free text, consent with a detail.
            let tag = String(UUID().uuidString.prefix(6))
            var profile = CustomerFixtures.profile(name: "Philippa Thistlewood \(tag)")
            profile.email = "philippa.\(tag.lowercased())@thistlewood.example"
            profile.phone = "+447700900\(Int.random(in: 100...999))"
            profile.nationalID = "TW\(tag)Z"
            profile.address.line1 = "3 Marigold Terrace \(tag)"
            let created = try await client.customers.createCustomer(
                CustomerFixtures.create(profile, externalRef: "CORE-\(tag)", requestID: "req-\(tag)"))
            needles += Self.personalValues(profile) + ["CORE-\(tag)"]
            var moved = profile
            moved.address.line1 = "88 Hollyhock Lane \(tag)"
            moved.phone = "+447700911\(Int.random(in: 100...999))"
            _ = try await client.customers.updateCustomer(.with {
                $0.id = created.id
                $0.profile = moved
                $0.updateMask = .init(protoPaths: ["address", "phone"])
            })
            needles += [moved.address.line1, moved.phone]
            let note = "Mentioned the Ravensworth probate dispute \(tag)"
            let reason = "Adviser Quilliam explained everything \(tag)"
            var survey = InteractionFixtures.interaction(created.id, .surveyResponse, at: Date(), summary: note)
            survey.survey.reason = reason
            _ = try await client.interactions.logInteraction(InteractionFixtures.request(survey))
            let complaint = "Complained that Mr Oddington at the branch was rude \(tag)"
            _ = try await client.interactions.logInteraction(InteractionFixtures.request(
                InteractionFixtures.interaction(created.id, .complaint, at: Date(), summary: complaint)))
            let detail = "Consent signed at the Wetherby kiosk \(tag)"
            _ = try await client.customers.setConsent(.with {
                $0.customerID = created.id
                $0.decisions = [.with {
                    $0.channel = .email
                    $0.purpose = .marketing
                    $0.granted = true
                    $0.decidedAt = InteractionFixtures.timestamp(Date())
                    $0.source = .channel
                    $0.sourceDetail = detail
                    $0.recordedBy = "staff-17"
                }]
            })
            needles += [note, reason, complaint, detail]
            // A backup of the running daemon's database, as an operator takes one.
            let backup = root.appendingPathComponent("backup.sqlite")
            let live = try DatabaseQueue(path: data.appendingPathComponent("rapport.sqlite").path)
            try await live.vacuum(into: backup.path)
            try live.close()
            runningCopies = ["rapport.sqlite", "rapport.sqlite-wal", "keys.sqlite", "keys.sqlite-wal"].compactMap {
                FileManager.default.contents(atPath: data.appendingPathComponent($0).path)
            }
            await client.close()
        } catch {
            _ = await daemon.terminate()
            throw error
        }
        // Stopped, the log copied into the file; the data directory stays (removed with `root`).
        #expect(await daemon.terminate() == 0)
        let log = daemon.log

        // Short texts ("Contact") could occur by chance in other plaintext; every value scanned is distinctive.
        let distinct = Array(Set(needles.filter { $0.count >= 10 }))
        #expect(distinct.count > 40, "the scan must cover the seeded values too")
        let files = ["rapport.sqlite", "rapport.sqlite-wal", "keys.sqlite", "keys.sqlite-wal"].map { data.appendingPathComponent($0).path }
            + [root.appendingPathComponent("backup.sqlite").path]
        let contents = files.compactMap { FileManager.default.contents(atPath: $0) } + runningCopies + [Data(log.utf8)]
        #expect(contents.count >= 8)
        let found = distinct.filter { needle in contents.contains { $0.range(of: Data(needle.utf8)) != nil } }
        #expect(found == [], "personal data in the files, backup or log")
    }

    /// Erasure through the daemon: the receipt names the erasure and what was kept; the customer
    /// is gone; replaying their create request is FAILED_PRECONDITION naming the erasure.
    @Test func erasureReturnsAReceiptAndRefusesAReplayedCreate() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create(requestID: "req-to-forget"))
            _ = try await client.interactions.logInteraction(InteractionFixtures.request(
                InteractionFixtures.survey(created.id, score: 4, at: Date())))
            let receipt = try await client.customers.deleteCustomer(.with { $0.id = created.id })
            #expect(receipt.erasureID.hasPrefix("era_"))
            #expect(abs(receipt.erasedAt.date.timeIntervalSinceNow) < 60)
            #expect(receipt.kept.first { $0.kind == "survey_responses" }?.count == 1)
            let gone = await rpcError { _ = try await client.customers.getCustomer(.with { $0.id = created.id }) }
            #expect(gone?.code == .notFound)
            let replay = await rpcError {
                _ = try await client.customers.createCustomer(CustomerFixtures.create(requestID: "req-to-forget"))
            }
            #expect(replay?.code == .failedPrecondition)
            #expect(replay?.message.contains(receipt.erasureID) == true)
            await client.close()
        }
    }

    static func personalValues(_ profile: Rapport_V1_CustomerProfile) -> [String] {
        [profile.fullName, profile.phone, profile.email, profile.nationalID, profile.address.line1, profile.address.postalCode]
    }
}
