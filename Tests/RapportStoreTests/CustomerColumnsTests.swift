import Foundation
import GRDB
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf
import Testing
@testable import RapportStore

/// The `profile` and `segmentation` columns: protobuf binary, JSON text in rows written before,
/// every domain value exactly as it went in, and undecodable values reported as corrupt.
@Suite("Customer columns: protobuf binary and legacy JSON")
struct CustomerColumnsTests {
    /// A store without the decoded-customer cache, so every read decodes the row.
    private func withUncachedStore<T>(_ body: (SQLiteCustomerStore) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(
            configuration: StoreConfiguration(dataDirectory: directory.path, customerCacheCapacity: 0))
        defer { try? store.close() }
        return try await body(store)
    }

    /// The storage class and first byte of a column of a stored customer.
    private func storage(_ store: SQLiteCustomerStore, _ column: String, of id: String) async throws -> String? {
        try await store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT typeof(\(column)) FROM customers WHERE id = ?", arguments: [id])
        }
    }

    /// A customer as a store returns it: times at millisecond precision, an empty external ref none.
    private func stored(_ customer: Customer) -> Customer {
        var customer = customer
        customer.externalRef = customer.externalRef.flatMap { $0.isEmpty ? nil : $0 }
        customer.createdAt = Date(timeIntervalSince1970: (customer.createdAt.timeIntervalSince1970 * 1000).rounded() / 1000)
        customer.updatedAt = Date(timeIntervalSince1970: (customer.updatedAt.timeIntervalSince1970 * 1000).rounded() / 1000)
        return customer
    }

    @Test func newRowsAreProtobufAndReadBackEqual() async throws {
        try await withUncachedStore { store in
            let customer = RandomCustomers(seed: 1).customer(0)
            let created = try await store.importCustomers([customer])
            #expect(try await storage(store, "profile", of: customer.id) == "blob")
            #expect(try await storage(store, "segmentation", of: customer.id) == "blob")
            let read = try await store.customer(id: customer.id)
            #expect(read == created.first)
            var expected = stored(customer)
            expected.etag = created.first?.etag ?? ""
            #expect(read == expected)
        }
    }

    /// Many random customers, every optional field present and absent, every enum case, money at
    /// the extremes, odd text, products open and closed: each reads back exactly as written,
    /// through point reads (by id and by external ref) and list pages.
    @Test func manyRandomCustomersRoundTripExactly() async throws {
        try await withUncachedStore { store in
            let generator = RandomCustomers(seed: 42)
            let customers = (0..<600).map { generator.customer($0) }
            let created = try await store.importCustomers(customers)
            #expect(created.count == customers.count)
            for (customer, returned) in zip(customers, created) {
                var expected = stored(customer)
                expected.etag = returned.etag
                #expect(returned == expected)
                let read = try await store.customer(id: customer.id)
                #expect(read == expected, "customer \(customer.id)")
                if let ref = expected.externalRef {
                    #expect(try await store.customer(externalRef: ref) == expected)
                }
            }
            var listed: [Customer] = []
            var cursor: PageCursor?
            repeat {
                let page = try await store.list(CustomerQuery(), pageSize: 97, after: cursor)
                listed += page.customers
                cursor = page.next
            } while cursor != nil
            #expect(listed.sorted { $0.id < $1.id } == created.sorted { $0.id < $1.id })
        }
    }

    /// A row written before protobuf (JSON text, as the store wrote it until now) still reads,
    /// and is rewritten as protobuf, with nothing lost, when the customer is next written.
    @Test func anOldJSONRowReadsAndIsRewrittenAsProtobufWhenNextWritten() async throws {
        try await withUncachedStore { store in
            let generator = RandomCustomers(seed: 7)
            let customer = {
                var customer = stored(generator.customer(3, everyField: true))
                customer.etag = "legacy-etag"
                return customer
            }()
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO customers (id, external_ref, name_key, value_tier, lifecycle_stage, risk_level,
                            branch_id, relationship_manager_id, profile, segmentation, created_at, updated_at, etag)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        customer.id, customer.externalRef, NameKey.key(for: customer.profile.fullName),
                        customer.segmentation.valueTier.rawValue, customer.segmentation.lifecycleStage.rawValue,
                        customer.profile.riskLevel?.rawValue, customer.profile.branchID, customer.profile.relationshipManagerID,
                        try JSONColumn.encode(customer.profile, column: "profile"),
                        try JSONColumn.encode(customer.segmentation, column: "segmentation"),
                        try StoredTime.millis(customer.createdAt), try StoredTime.millis(customer.updatedAt), customer.etag,
                    ])
            }
            #expect(try await storage(store, "profile", of: customer.id) == "text")
            #expect(try await store.customer(id: customer.id) == customer)
            let page = try await store.list(CustomerQuery(), pageSize: 10, after: nil)
            #expect(page.customers == [customer])

            let today = CalendarDate(year: 2026, month: 11, day: 23)
            let updated = try await store.update(id: customer.id, expectedEtag: "legacy-etag", today: today) { current, _ in
                #expect(current == customer)
                current.profile.occupation = "Rewritten"
            }
            #expect(try await storage(store, "profile", of: customer.id) == "blob")
            #expect(try await storage(store, "segmentation", of: customer.id) == "blob")
            var expected = customer
            expected.profile.occupation = "Rewritten"
            #expect(updated.profile == expected.profile)
            #expect(updated.segmentation == expected.segmentation)
            #expect(try await store.customer(id: customer.id) == updated)
        }
    }

    /// A row half rewritten (re-segmentation writes only `segmentation`) reads too.
    @Test func aRowWithAJSONProfileAndAProtobufSegmentationReads() async throws {
        try await withUncachedStore { store in
            let customer = RandomCustomers(seed: 9).customer(1, everyField: true)
            let created = try await store.importCustomers([customer])
            try await store.pool.write { db in
                try db.execute(
                    sql: "UPDATE customers SET profile = ? WHERE id = ?",
                    arguments: [try JSONColumn.encode(customer.profile, column: "profile"), customer.id])
            }
            #expect(try await storage(store, "profile", of: customer.id) == "text")
            #expect(try await store.customer(id: customer.id) == created.first)
        }
    }

    /// A date protobuf's 32-bit fields cannot hold (validation never lets one through) is kept
    /// exactly: that profile is written as JSON.
    @Test func aProfileProtobufCannotHoldExactlyIsWrittenAsJSON() async throws {
        try await withUncachedStore { store in
            var customer = RandomCustomers(seed: 3).customer(2)
            customer.profile.dateOfBirth = CalendarDate(year: Int(Int32.max) + 1, month: 1, day: -5)
            let created = try await store.importCustomers([customer])
            // Sealed like every profile; the sealed bytes are the JSON text.
            #expect(try await storage(store, "profile", of: customer.id) == "blob")
            let id = customer.id
            let sealed = try await store.pool.read { db in
                try Data.fetchOne(db, sql: "SELECT profile FROM customers WHERE id = ?", arguments: [id])
            }
            let plain = try FieldCipher.open(
                try #require(sealed), key: try store.keyring.requireDataKey(for: customer.id),
                place: FieldCipher.place("customers", customer.id, "profile"))
            #expect(plain.first == UInt8(ascii: "{"))
            #expect(try await store.customer(id: customer.id)?.profile == customer.profile)
            #expect(created.first?.profile == customer.profile)
        }
    }

    @Test(arguments: [
        ("profile", Data([0xFF, 0xFF, 0xFF]).databaseValue),  // not protobuf
        ("profile", "{\"fullName\": 12".databaseValue),  // not JSON
        ("profile", Data([0x78, 0x09]).databaseValue),  // risk_level 9: no such level
        ("segmentation", Data().databaseValue),  // no value tier
        ("segmentation", Data([0x08, 0x07, 0x18, 0x01]).databaseValue),  // value tier 7
        ("segmentation", "{}".databaseValue),  // JSON without the fields
        ("profile", 42.databaseValue),  // an integer where a profile belongs
    ])
    func anUndecodableColumnIsCorruptNotACrash(column: String, value: DatabaseValue) async throws {
        try await withUncachedStore { store in
            let customer = RandomCustomers(seed: 5).customer(4)
            _ = try await store.importCustomers([customer])
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE customers SET \(column) = ? WHERE id = ?", arguments: [value, customer.id])
            }
            let error = await storeError { _ = try await store.customer(id: customer.id) }
            #expect(error?.kind == .corrupt, "\(String(describing: error))")
            let listError = await storeError { _ = try await store.list(CustomerQuery(), pageSize: 10, after: nil) }
            #expect(listError?.kind == .corrupt, "\(String(describing: listError))")
        }
    }
}

/// Deterministic random customers that reach every corner of the domain model.
struct RandomCustomers {
    private let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    /// Customer number `index`; with `everyField` every optional field is set.
    func customer(_ index: Int, everyField: Bool = false) -> Customer {
        var random = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        func maybe<T>(_ value: @autoclosure () -> T) -> T? {
            everyField || random.next() % 3 != 0 ? value() : nil
        }
        var profile = CustomerProfile()
        profile.fullName = random.text()
        profile.dateOfBirth = maybe(random.date())
        profile.phone = random.text()
        profile.email = random.text()
        profile.nationalID = random.text()
        profile.address = maybe(PostalAddress(
            line1: random.text(), line2: random.text(), city: random.text(), postalCode: random.text(),
            countryCode: random.text()))
        profile.preferredLanguage = random.text()
        profile.preferredChannel = maybe(random.pick(Channel.allCases))
        profile.branchID = random.text()
        profile.relationshipManagerID = random.text()
        profile.occupation = random.text()
        profile.annualIncome = maybe(random.money())
        profile.assetsUnderManagement = maybe(random.money())
        profile.products = (0..<Int(random.next() % 6)).map { _ in
            ProductHolding(productCode: random.text(), openedOn: maybe(random.date()), closedOn: maybe(random.date()))
        }
        if everyField, profile.products.isEmpty {
            profile.products = [ProductHolding(productCode: "CURRENT_ACCOUNT", openedOn: random.date(), closedOn: random.date())]
        }
        profile.riskLevel = maybe(random.pick(RiskLevel.allCases))
        profile.kycStatus = maybe(random.pick(KYCStatus.allCases))
        let segmentation = Segmentation(
            valueTier: random.pick(ValueTier.allCases),
            valueTierReasons: (0..<Int(random.next() % 4)).map { _ in random.text() },
            lifecycleStage: random.pick(LifecycleStage.allCases),
            lifecycleReasons: (0..<Int(random.next() % 4)).map { _ in random.text() })
        let created = Date(timeIntervalSince1970: Double(random.next() % 4_000_000_000_000) / 1000 + 0.000_37)
        return Customer(
            id: String(format: "cus_%08d_%016llx", index, seed),
            externalRef: random.next() % 4 == 0 ? nil : (random.next() % 5 == 0 ? "" : "EXT-\(seed)-\(index)"),
            profile: profile, segmentation: segmentation,
            createdAt: created, updatedAt: created.addingTimeInterval(Double(random.next() % 1_000_000)),
            etag: "")
    }
}

/// Random profile fields from the shared seeded generator.
extension SeededGenerator {
    mutating func pick<T>(_ values: [T]) -> T {
        values[Int(next() % UInt64(values.count))]
    }

    /// Text of every kind: empty, ASCII, accents (composed and not), CJK, emoji, quotes, control characters.
    mutating func text() -> String {
        let pieces = ["", "a", "Zoë", "Zoe\u{0308}", "李伟", "👩🏽‍💻", "\"quoted\"", "back\\slash", "tab\t", "nul\u{0}",
                      "{", "ÅÄÖ", " ", "+447700900123", "O'Brien", "line\nbreak", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
        return (0..<Int(next() % 4)).map { _ in pick(pieces) }.joined()
    }

    mutating func date() -> CalendarDate {
        switch next() % 5 {
        case 0: CalendarDate(year: 1900 + Int(next() % 200), month: 1 + Int(next() % 12), day: 1 + Int(next() % 28))
        case 1: CalendarDate(year: 0, month: 0, day: 0)
        case 2: CalendarDate(year: Int(Int32.max), month: Int(Int32.min), day: -1)
        case 3: CalendarDate(year: 2024, month: 2, day: 29)
        default: CalendarDate(year: 1 + Int(next() % 9999), month: Int(next() % 13), day: Int(next() % 32))
        }
    }

    mutating func money() -> Money {
        let minor: Int64 = switch next() % 5 {
        case 0: .max
        case 1: .min
        case 2: 0
        case 3: -Int64(next() % 1_000_000)
        default: Int64(next() % 100_000_000_000)
        }
        return Money(minorUnits: minor, currencyCode: pick(["GBP", "EUR", "USD", "CNY", "JPY", "", "gbp"]))
    }
}
