import Crypto
import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite("Audit trail: the hash chain")
struct AuditChainTests {
    static let stamp = AuditStamp(principal: "agent-7", method: "/rapport.v1.CustomerService/CreateCustomer", requestID: "req-1", peer: "10.0.0.1:5000")

    static func entry(_ n: Int, customers: [String] = ["cus_A"], principal: String = "reader-1", outcome: String = "OK") -> AuditEntry {
        AuditEntry(
            time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n)), principal: principal,
            method: "/rapport.v1.CustomerService/GetCustomer", customerIDs: customers, outcome: outcome, detail: "read",
            requestID: "r\(n)", peer: "127.0.0.1:\(n)")
    }

    @Test func appendedEventsChainFromGenesisAndVerify() async throws {
        try await withStore { store in
            #expect(try await store.verifyAuditChain() == .intact(events: 0, headHash: AuditChain.genesisHash))
            try await store.appendAuditEvents([Self.entry(1), Self.entry(2)])
            try await store.appendAuditEvents([Self.entry(3)])
            let page = try await store.auditEvents(AuditFilter(), pageSize: 10, after: nil)
            #expect(page.events.map(\.id) == [1, 2, 3])
            #expect(page.events[0].previousHash == AuditChain.genesisHash)
            #expect(page.events[1].previousHash == page.events[0].hash)
            #expect(page.events[2].previousHash == page.events[1].hash)
            #expect(page.events[1].entry == Self.entry(2))
            #expect(try await store.verifyAuditChain() == .intact(events: 3, headHash: page.events[2].hash))
        }
    }

    @Test func theHashCoversEveryFieldAndTheEncodingIsUnambiguous() {
        let base = Self.entry(1, customers: ["ab", "c"])
        let hash = AuditChain.hash(id: 1, time: 5, entry: base, previousHash: AuditChain.genesisHash)
        var moved = base
        moved.customerIDs = ["a", "bc"]
        var shifted = base
        shifted.principal = base.principal + "/"
        shifted.method = String(base.method.dropFirst())
        #expect(AuditChain.hash(id: 1, time: 5, entry: moved, previousHash: AuditChain.genesisHash) != hash)
        #expect(AuditChain.hash(id: 1, time: 5, entry: shifted, previousHash: AuditChain.genesisHash) != hash)
        #expect(AuditChain.hash(id: 2, time: 5, entry: base, previousHash: AuditChain.genesisHash) != hash)
        #expect(AuditChain.hash(id: 1, time: 6, entry: base, previousHash: AuditChain.genesisHash) != hash)
        #expect(AuditChain.hash(id: 1, time: 5, entry: base, previousHash: Data(repeating: 1, count: 32)) != hash)
        #expect(AuditChain.hash(id: 1, time: 5, entry: base, previousHash: AuditChain.genesisHash) == hash)
    }

    /// Builds the encoding from its description in `AuditChain`, byte by byte, so that a faster
    /// implementation cannot change the hash of events already stored.
    @Test func theHashIsSHA256OfTheDocumentedEncoding() {
        func length(_ count: Int) -> [UInt8] { (0..<8).reversed().map { UInt8((UInt64(count) >> (8 * UInt64($0))) & 0xFF) } }
        func field(_ text: String) -> [UInt8] { length(text.utf8.count) + Array(text.utf8) }
        let entry = Self.entry(3, customers: ["cus_A", "cus_\u{E9}\u{1F600}"])
        let previous = Data((0..<32).map { UInt8($0) })
        var bytes = field("rapport.audit.v1") + field("7") + field("1750000003000") + field(entry.principal) + field(entry.method)
        bytes += length(2) + field("cus_A") + field("cus_\u{E9}\u{1F600}")
        bytes += field(entry.outcome) + field(entry.detail) + field(entry.requestID) + field(entry.peer)
        bytes += length(32) + Array(previous)
        #expect(AuditChain.hash(id: 7, time: 1_750_000_003_000, entry: entry, previousHash: previous) == Data(SHA256.hash(data: bytes)))
    }

    @Test func customerIDsAreStoredAsJSONAnyDecoderReads() throws {
        let awkward = ["cus_1", "", "a\"b", "back\\slash", "tab\tnew\nline\u{01}", "slash/\u{E9}\u{1F600}", "\u{1F}", "\u{7F}"]
        let json = AuditTables.encodeIDs(awkward)
        #expect(try JSONDecoder().decode([String].self, from: Data(json.utf8)) == awkward)
        #expect(try AuditTables.decodeIDs(json) == awkward)
        #expect(AuditTables.encodeIDs([]) == "[]")
        #expect(AuditTables.encodeIDs(["a", "b"]) == #"["a","b"]"#)
    }

    @Test func oneAppendOfManyEventsChainsAsAppendsOfOneEach() async throws {
        let entries = (1...5).map { Self.entry($0, customers: ["cus_\($0)", "cus_0"]) }
        var heads: [Data] = []
        for batches in [[entries], entries.map { [$0] }] {
            try await withStore { store in
                for batch in batches { try await store.appendAuditEvents(batch) }
                #expect(try await store.verifyAuditChain() == .intact(events: 5, headHash: try await Self.head(store)))
                let named = try await store.auditEvents(AuditFilter(customerID: "cus_0"), pageSize: 10, after: nil)
                #expect(named.events.map(\.id) == [1, 2, 3, 4, 5])
                heads.append(try await Self.head(store))
            }
        }
        #expect(heads[0] == heads[1])
    }

    @Test func theStoreRefusesToUpdateOrDeleteEvents() async throws {
        try await withStore { store in
            try await store.appendAuditEvents([Self.entry(1)])
            for sql in ["UPDATE audit_events SET principal = 'x'", "DELETE FROM audit_events",
                        "DELETE FROM audit_event_customers", "UPDATE audit_event_customers SET customer_id = 'x'"] {
                await #expect(throws: DatabaseError.self) {
                    try await store.pool.write { try $0.execute(sql: sql) }
                }
            }
            #expect(try await store.verifyAuditChain() == .intact(events: 1, headHash: try await Self.head(store)))
        }
    }

    @Test func anEditedEventIsNamed() async throws {
        try await withStore { store in
            try await store.appendAuditEvents((1...5).map { Self.entry($0) })
            try await Self.tamper(store, "UPDATE audit_events SET principal = 'someone-else' WHERE id = 3")
            guard case .broken(let id, let reason) = try await store.verifyAuditChain() else {
                Issue.record("an edited chain verified")
                return
            }
            #expect(id == 3)
            #expect(reason.contains("stored hash"))
        }
    }

    @Test func anEventEditedWithARecomputedHashBreaksTheNextLink() async throws {
        try await withStore { store in
            try await store.appendAuditEvents((1...4).map { Self.entry($0) })
            var forged = Self.entry(2)
            forged.outcome = "NOT_FOUND"
            let previous = try await store.pool.read { try Data.fetchOne($0, sql: "SELECT hash FROM audit_events WHERE id = 1") }
            let hash = AuditChain.hash(id: 2, time: 1_750_000_002_000, entry: forged, previousHash: try #require(previous))
            try await Self.tamper(store, "UPDATE audit_events SET outcome = 'NOT_FOUND', hash = x'\(hash.map { String(format: "%02x", $0) }.joined())' WHERE id = 2")
            #expect(try await store.verifyAuditChain() == .broken(eventID: 3, reason: "its previous hash is not the hash of event 2"))
        }
    }

    @Test func aDeletedEventIsNamed() async throws {
        try await withStore { store in
            try await store.appendAuditEvents((1...4).map { Self.entry($0) })
            try await Self.tamper(store, "DELETE FROM audit_events WHERE id = 2")
            #expect(try await store.verifyAuditChain() == .broken(eventID: 3, reason: "event 2 is missing: the event before this one is 1"))
        }
    }

    @Test func verificationWalksChainsLongerThanOneReadChunk() async throws {
        try await withStore { store in
            let count = SQLiteCustomerStore.auditVerifyChunk + 10
            try await store.appendAuditEvents((1...count).map { Self.entry($0) })
            guard case .intact(let events, _) = try await store.verifyAuditChain() else {
                Issue.record("a long chain did not verify")
                return
            }
            #expect(events == Int64(count))
            try await Self.tamper(store, "UPDATE audit_events SET peer = 'x' WHERE id = \(count - 1)")
            #expect(try await store.verifyAuditChain() == .broken(eventID: Int64(count - 1), reason: "its fields do not hash to its stored hash: the event was changed"))
        }
    }

    /// Changes the file as an attacker with write access would: without the triggers.
    static func tamper(_ store: SQLiteCustomerStore, _ sql: String) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; \(sql)")
        }
    }

    static func head(_ store: SQLiteCustomerStore) async throws -> Data {
        try #require(try await store.pool.read { try Data.fetchOne($0, sql: "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1") })
    }
}
