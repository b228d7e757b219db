import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct EncryptionAtRestTests {
    /// Every personal value and free text reaches the files sealed only: the database, its log,
    /// the key database and a backup hold none of them, and every value reads back intact.
    @Test func filesHoldNoPersonalValue() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let customer = try await store.create(PersonalDataScan.distinctCustomer(), requestID: "req-scan").customer
        let note = "Customer mentioned a dispute with Marjoribanks estate \(UUID().uuidString.prefix(6))"
        let reason = "Cordial advisor named Fenwick-Tullis \(UUID().uuidString.prefix(6))"
        var survey = LogFixture.interaction(customer.id, .surveyResponse, score: 9)
        survey.summary = note
        survey.survey = SurveyResponse(npsScore: 9, reason: reason)
        let logged = try await LogFixture.logged(store, survey)
        var decision = ConsentFixtures.marketingEmail(granted: true)
        decision.sourceDetail = "Signed at Grimsby kiosk \(UUID().uuidString.prefix(6))"
        _ = try await store.appendConsent(customerID: customer.id, [decision])
        let needles = PersonalDataScan.values(of: customer) + [note, reason, decision.sourceDetail]

        let backup = (directory.path as NSString).appendingPathComponent("backup.sqlite")
        try await store.pool.vacuum(into: backup)
        #expect(PersonalDataScan.found(needles, in: PersonalDataScan.storeFiles(directory.path) + [backup]) == [])

        let read = try #require(try await store.customer(id: customer.id))
        #expect(read.profile == customer.profile)
        #expect(try await store.customer(externalRef: customer.externalRef ?? "")?.id == customer.id)
        let page = try await store.interactions(customerID: customer.id, filter: InteractionFilter(), pageSize: 10, after: nil)
        #expect(page.interactions.first { $0.id == logged.id }?.summary == note)
        #expect(page.interactions.first { $0.id == logged.id }?.survey?.reason == reason)
        #expect(try await store.consentHistory(customerID: customer.id).last?.sourceDetail == decision.sourceDetail)
        try store.close()
        // After close the log is copied into the file: still nothing readable.
        #expect(PersonalDataScan.found(needles, in: PersonalDataScan.storeFiles(directory.path)) == [])
    }

    /// A sealed value moved to another customer's row does not open there.
    @Test func sealedProfilesCannotBeSwapped() async throws {
        try await withStore(configure: { $0.customerCacheCapacity = 0 }) { store in
            let first = try await store.create(PersonalDataScan.distinctCustomer(), requestID: nil).customer
            let second = try await store.create(PersonalDataScan.distinctCustomer(), requestID: nil).customer
            try await store.pool.write { db in
                try db.execute(
                    sql: "UPDATE customers SET profile = (SELECT profile FROM customers WHERE id = ?) WHERE id = ?",
                    arguments: [first.id, second.id])
            }
            let error = await storeError { _ = try await store.customer(id: second.id) }
            #expect(error?.kind == .corrupt)
            #expect(try await store.customer(id: first.id)?.profile == first.profile)
        }
    }

    /// Interaction texts are sealed before the write (bound to customer and field), so another
    /// customer's row does not open them; texts sealed by migration v14 (bound to their row) still
    /// read back.
    @Test func interactionTextsAreBoundToTheirCustomerAndRowBoundTextsStillOpen() async throws {
        try await withStore { store in
            let first = try await store.create(PersonalDataScan.distinctCustomer(), requestID: nil).customer
            let second = try await store.create(PersonalDataScan.distinctCustomer(), requestID: nil).customer
            var note = LogFixture.interaction(first.id, .inquiry)
            note.summary = "Asked about the Pemberton-Ashe trust"
            let mine = try await LogFixture.logged(store, note)
            let theirs = try await LogFixture.logged(store, LogFixture.interaction(second.id, .inquiry))
            let stored = try await store.pool.read { try Data.fetchOne($0, sql: "SELECT summary FROM interactions WHERE id = ?", arguments: [mine.id]) }
            #expect(stored?.first == FieldCipher.customerBound)

            try await store.pool.write { db in
                try db.execute(
                    sql: "UPDATE interactions SET summary = (SELECT summary FROM interactions WHERE id = ?) WHERE id = ?",
                    arguments: [mine.id, theirs.id])
            }
            let moved = await storeError { _ = try await store.interactions(customerID: second.id, filter: InteractionFilter(), pageSize: 10, after: nil) }
            #expect(moved?.kind == .corrupt)

            let key = try #require(try store.keyring.dataKey(for: first.id))
            let rowBound = try FieldCipher.seal(
                Data("Written before v2".utf8), key: key, place: InteractionTexts.place(first.id, mine.id, "summary"))
            #expect(rowBound.first == FieldCipher.version)
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE interactions SET summary = ? WHERE id = ?", arguments: [rowBound, mine.id])
            }
            let page = try await store.interactions(customerID: first.id, filter: InteractionFilter(), pageSize: 10, after: nil)
            #expect(page.interactions.first { $0.id == mine.id }?.summary == "Written before v2")
        }
    }

    /// The key database syncs every commit whatever the store's mode: under NORMAL a committed key
    /// could be lost to a power failure after a checkpoint made a row sealed with it durable.
    @Test(arguments: [StoreConfiguration.SynchronousMode.full, .normal, .off])
    func keysAreSyncedWhateverTheStoresMode(_ mode: StoreConfiguration.SynchronousMode) async throws {
        try await withStore(synchronous: mode) { store in
            let keys = try await store.keyring.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(keys == StoreConfiguration.SynchronousMode.full.pragmaNumber)
            let rows = try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(rows == mode.pragmaNumber)
        }
    }

    /// The external reference is stored as a keyed blind index: lookups and uniqueness still work.
    @Test func externalReferenceIsABlindIndex() async throws {
        try await withStore { store in
            let customer = try await store.create(PersonalDataScan.distinctCustomer(tag: "REF1"), requestID: nil).customer
            let stored = try await store.pool.read { db in
                try String.fetchOne(db, sql: "SELECT external_ref FROM customers WHERE id = ?", arguments: [customer.id])
            }
            #expect(stored != nil && stored != customer.externalRef)
            #expect(stored?.count == 64)
            #expect(try await store.customer(externalRef: "EXTREF-REF1")?.id == customer.id)
            #expect(try await store.customer(externalRef: "EXTREF-REF2") == nil)
            var twin = PersonalDataScan.distinctCustomer(tag: "REF2")
            twin.externalRef = "EXTREF-REF1"
            let taken = await storeError { _ = try await store.create(twin, requestID: nil) }
            #expect(taken?.kind == .alreadyExists(field: "external_ref"))
        }
    }

    /// Name-prefix lists find customers by their decrypted names; the file keeps only buckets.
    @Test func namePrefixSearchKeepsNoNames() async throws {
        try await withStore { store in
            var ids: [String: String] = [:]
            for name in ["Annabel Lee", "Anne Bonny", "Andrew Marvell", "Bob Dylan", "Łukasz Nowak"] {
                ids[name] = try await store.create(makeCustomer(name: name), requestID: nil).customer.id
            }
            func names(_ prefix: String) async throws -> Set<String> {
                let page = try await store.list(CustomerQuery(namePrefix: prefix), pageSize: 50, after: nil)
                return Set(page.customers.map(\.profile.fullName))
            }
            #expect(try await names("ann") == ["Annabel Lee", "Anne Bonny"])
            #expect(try await names("AN") == ["Annabel Lee", "Anne Bonny", "Andrew Marvell"])
            #expect(try await names("anne ") == ["Anne Bonny"])
            #expect(try await names("annabel lee") == ["Annabel Lee"])
            #expect(try await names("lukasz") == ["Łukasz Nowak"])
            #expect(try await names("zz") == [])
            let keys = try await store.pool.read { try String.fetchAll($0, sql: "SELECT name_key FROM customers") }
            #expect(keys.allSatisfy { $0.count == 64 && !$0.contains("ann") })
            // Same first three letters, same bucket: that is all the file tells.
            let bucket = { (id: String?) in
                try await store.pool.read { try String.fetchOne($0, sql: "SELECT name_key FROM customers WHERE id = ?", arguments: [id]) }
            }
            #expect(try await bucket(ids["Annabel Lee"]) == bucket(ids["Anne Bonny"]))
            #expect(try await bucket(ids["Annabel Lee"]) != bucket(ids["Andrew Marvell"]))
        }
    }

    /// A page examines at most `maximumExaminedPerPage` rows: a rare short prefix ends a page
    /// early with a cursor, and the next page goes on from where it stopped.
    @Test func namePrefixPagesDoBoundedWork() async throws {
        try await withStore { store in
            let filler = (0..<(SQLiteCustomerStore.maximumExaminedPerPage + 5)).map { index in
                makeCustomer(name: "Zed Filler \(index)")
            }
            _ = try await store.importCustomers(filler)
            let rare = try await store.create(makeCustomer(name: "Quentin Rare"), requestID: nil).customer
            let first = try await store.list(CustomerQuery(namePrefix: "q"), pageSize: 10, after: nil)
            #expect(first.customers.isEmpty)
            let cursor = try #require(first.next)
            let second = try await store.list(CustomerQuery(namePrefix: "q"), pageSize: 10, after: cursor)
            #expect(second.customers.map(\.id) == [rare.id])
            #expect(second.next == nil)
        }
    }

    /// A default store makes `master.key` (0600) once; a group-readable key file is refused; a
    /// database opened with another master key is refused, naming the key it needs.
    @Test func masterKeySources() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = (directory.path as NSString).appendingPathComponent("master.key")
        var store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        #expect(store.createdMasterKeyFile)
        let id = store.masterKeyID
        _ = try await store.create(makeCustomer(), requestID: nil)
        try store.close()
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue == 0o600)
        store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        #expect(!store.createdMasterKeyFile)
        #expect(store.masterKeyID == id)
        try store.close()

        chmod(keyPath, 0o640)
        let readable = await storeError { _ = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path)) }
        #expect(readable?.kind == .unavailable)
        #expect(readable?.message.contains("other users") == true)
        chmod(keyPath, 0o600)

        var other = StoreConfiguration(dataDirectory: directory.path)
        other.masterKey = .key(MasterKey.random())
        let wrong = await storeError { _ = try SQLiteCustomerStore(configuration: other) }
        #expect(wrong?.kind == .unavailable)
        #expect(wrong?.message.contains(id) == true)

        var byFile = StoreConfiguration(dataDirectory: directory.path)
        byFile.masterKey = .file(keyPath)
        store = try SQLiteCustomerStore(configuration: byFile)
        #expect(store.masterKeyID == id)
        try store.close()
    }

    /// Base64 key text is accepted; anything but 32 bytes is not.
    @Test func masterKeyText() throws {
        let key = MasterKey.random()
        #expect(MasterKey(base64: key.base64)?.id == key.id)
        #expect(MasterKey(base64: " \(key.base64)\n")?.id == key.id)
        #expect(MasterKey(base64: Data(count: 16).base64EncodedString()) == nil)
        #expect(MasterKey(base64: "not base64") == nil)
    }

    /// Losing `keys.sqlite` is refused at open rather than answered with unreadable customers.
    @Test func missingKeyDatabaseIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        _ = try await store.create(makeCustomer(), requestID: nil)
        try store.close()
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: (directory.path as NSString).appendingPathComponent("keys.sqlite" + suffix))
        }
        for _ in 0..<2 {
            let error = await storeError { _ = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path)) }
            #expect(error?.kind == .unavailable)
            #expect(error?.message.contains("keys.sqlite") == true)
        }
    }
}

@Suite struct PlaintextMigrationTests {
    /// A database written before encryption is sealed on open: afterwards neither the file, its
    /// log nor the key database holds the old plaintext, and every value reads back.
    @Test func sealsAPlaintextDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        let name = "Perpetua Flintwinch", summary = "Discussed the Tattycoram inheritance", detail = "Signed at Clennam kiosk"
        do {
            let pool = try DatabasePool(path: path)
            try StoreSchema.migrator.migrate(pool, upTo: "v11-name-key-transliteration")
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO customers (id, external_ref, name_key, value_tier, lifecycle_stage, risk_level,
                        branch_id, relationship_manager_id, profile, segmentation, created_at, updated_at, etag)
                    VALUES ('cus_old', 'EXT-FLINT', 'perpetua flintwinch', 'mass', 'growth', NULL, 'B1', 'R1',
                        '{"fullName":"\(name)","phone":"+447700900999","email":"perpetua@flintwinch.example","nationalID":"QQ998877A","preferredLanguage":"","branchID":"B1","relationshipManagerID":"R1","occupation":"","products":[]}',
                        '{"valueTier":"mass","valueTierReasons":[],"lifecycleStage":"growth","lifecycleReasons":[]}',
                        1700000000000, 1700000000000, 'e1');
                    INSERT INTO interactions (id, customer_id, channel, kind, occurred_at, recorded_at, employee_id, product_code, summary)
                    VALUES ('int_old', 'cus_old', 'branch', 'inquiry', 1700000000000, 1700000000000, 'E1', '', '\(summary)');
                    INSERT INTO consent_decisions (customer_id, seq, channel, purpose, granted, decided_at, source, source_detail,
                        recorded_by, recorded_at)
                    VALUES ('cus_old', 1, 'email', 'marketing', 1, 1700000000000, 'branch', '\(detail)', 'staff', 1700000000000);
                    """)
            }
            try pool.close()
        }
        let needles = [name, "perpetua flintwinch", "EXT-FLINT", "+447700900999", "perpetua@flintwinch.example", "QQ998877A", summary, detail]
        #expect(PersonalDataScan.found(needles, in: [path]).count == needles.count)

        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        #expect(PersonalDataScan.found(needles, in: PersonalDataScan.storeFiles(directory.path)) == [])
        #expect(try await store.customer(externalRef: "EXT-FLINT")?.profile.fullName == name)
        let page = try await store.interactions(customerID: "cus_old", filter: InteractionFilter(), pageSize: 5, after: nil)
        #expect(page.interactions.map(\.summary) == [summary])
        #expect(try await store.consentHistory(customerID: "cus_old").map(\.sourceDetail) == [detail])
        #expect(try await store.list(CustomerQuery(namePrefix: "perp"), pageSize: 5, after: nil).customers.map(\.id) == ["cus_old"])
        let secureDelete = try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA secure_delete") }
        #expect(secureDelete == 1)
        try store.close()
        #expect(PersonalDataScan.found(needles, in: PersonalDataScan.storeFiles(directory.path)) == [])
    }
}
