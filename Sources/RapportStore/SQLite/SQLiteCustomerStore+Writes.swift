import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func create(_ customer: Customer, requestID: String?) async throws -> CreateOutcome {
        try await create(customer, requestID: requestID, audit: nil)
    }

    public func create(_ customer: Customer, requestID: String?, audit: AuditStamp?) async throws -> CreateOutcome {
        try await mappingErrors {
            try await pool.write { db in
                let requestID = requestID.flatMap { $0.isEmpty ? nil : $0 }
                if let requestID,
                    let request = try CreateRequestRecord.fetchOne(db, key: requestID),
                    let earlier = try CustomerRecord.fetchOne(db, key: request.customerID)
                {
                    let replayed = earlier.customer()
                    if let conflict = Self.conflict(replaying: replayed, for: customer, requestID: requestID) {
                        throw conflict
                    }
                    try AuditTables.append(db, stamp: audit, customerIDs: [replayed.id], detail: "replayed")
                    return .replayed(replayed)
                }
                if let requestID, let erasure = try Self.erasure(ofRequest: requestID, db) {
                    // Replaying the create of an erased customer must not bring the person back.
                    throw StoreError(
                        .preconditionFailed,
                        "request_id \(requestID) created a customer who was erased (erasure \(erasure.id)); "
                            + "a new customer needs a new request_id")
                }
                var stored = customer
                stored.etag = SortableIDGenerator.newEtag()
                let record = try CustomerRecord(stored, db)
                try record.insert(db)
                try StatisticsTables.customerChanged(from: nil, to: record, db)
                if let requestID {
                    try CreateRequestRecord(requestID: requestID, customerID: record.id, createdAt: record.createdAt)
                        .insert(db)
                }
                try AuditTables.append(db, stamp: audit, customerIDs: [record.id])
                return .created(record.customer())
            }
        }
    }

    /// Why `retry` is not the create that made `earlier` with the same request id, or nil when
    /// it is: the same person (external ref, name, date of birth). The profile may have been
    /// updated since, so the rest of it is not compared. A different person is `.requestConflict`:
    /// replaying it would hand one caller another customer's profile.
    ///
    /// Returns the error instead of throwing it, and never returns the large `Customer`: Swift
    /// 6.3.1's `-O` miscompiled the throwing form (swiftlang/swift#90477, fixed in LLVM by
    /// "Disable tail mem libcalls in swifterror functions"). Its success path ended in a tail call
    /// to `memcpy` that copied the returned customer, and that path left the error register (r12
    /// on x86_64) holding the stored birth year, so the caller took a normal return for a thrown
    /// error and crashed reading it. `ShippedBinaryTests` retries a create against the release build.
    private static func conflict(replaying earlier: Customer, for retry: Customer, requestID: String) -> StoreError? {
        if (earlier.externalRef ?? "") == (retry.externalRef ?? ""), earlier.profile.fullName == retry.profile.fullName,
            earlier.profile.dateOfBirth == retry.profile.dateOfBirth
        {
            return nil
        }
        return StoreError(
            .requestConflict(field: "request_id"),
            "request_id: \(requestID) was already used to create a different customer; "
                + "a retry must repeat the same external_ref, full_name and date_of_birth, and a new customer needs a new request_id")
    }

    /// Stores many new customers in one transaction (for seeding and tests); all or none.
    ///
    /// Like `create` without a request id: the store assigns etags. Returns the stored customers.
    public func importCustomers(_ customers: [Customer]) async throws -> [Customer] {
        try await mappingErrors {
            // The keys first, in one transaction of the key database (see `Keyring`).
            try keyring.createDataKeys(for: customers.map(\.id), now: StoredTime.millis(Date()))
            return try await pool.write { db in
                // One delta for the whole batch (see `StatisticsTables.NewCustomers`).
                var tally = StatisticsTables.NewCustomers()
                let stored = try customers.map { customer in
                    var stored = customer
                    stored.etag = SortableIDGenerator.newEtag()
                    let record = try CustomerRecord(stored, db)
                    try record.insert(db)
                    tally.add(record)
                    return record.customer()
                }
                try tally.apply(db)
                return stored
            }
        }
    }

    public func update(
        id: String, expectedEtag: String?, today: CalendarDate,
        _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
    ) async throws -> Customer {
        try await update(id: id, expectedEtag: expectedEtag, today: today, audit: nil, change)
    }

    public func update(
        id: String, expectedEtag: String?, today: CalendarDate, audit: AuditStamp?,
        _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
    ) async throws -> Customer {
        do {
            return try await mappingErrors {
                try await pool.write { db in
                    let current = try Self.fetchForWrite(db, id: id, expectedEtag: expectedEtag)
                    var updated = current.customer()
                    let activity = try CustomerActivity.summary(db, customerID: current.id, today: today)
                    do {
                        try change(&updated, activity)
                    } catch {
                        throw ChangeFailure(error: error)
                    }
                    updated.id = current.id
                    updated.createdAt = StoredTime.date(current.createdAt)
                    // Never backwards, even if the clock steps back.
                    updated.updatedAt = max(Date(), StoredTime.date(current.updatedAt), updated.createdAt)
                    updated.etag = Self.freshEtag(replacing: current.etag)
                    let record = try CustomerRecord(updated, db)
                    try record.update(db)
                    try StatisticsTables.customerChanged(from: current, to: record, db)
                    try AuditTables.append(db, stamp: audit, customerIDs: [record.id])
                    return record.customer()
                }
            }
        } catch let failure as ChangeFailure {
            throw failure.error
        }
    }

    /// The row to change, after checking it exists and that the caller's etag (if any) is current.
    static func fetchForWrite(_ db: Database, id: String, expectedEtag: String?) throws -> CustomerRecord {
        guard let current = try CustomerRecord.fetchOne(db, key: id) else {
            throw StoreError(.notFound, "no customer with id \(id)")
        }
        if let expectedEtag, !expectedEtag.isEmpty, expectedEtag != current.etag {
            throw StoreError(
                .etagMismatch, "customer \(id) has changed since etag \(expectedEtag) was read; read it again and retry")
        }
        return current
    }

    /// A new etag that differs from the current one.
    static func freshEtag(replacing current: String) -> String {
        var etag = SortableIDGenerator.newEtag()
        while etag == current { etag = SortableIDGenerator.newEtag() }
        return etag
    }
}

/// Carries an error thrown by an update's change closure through the store's error mapping unchanged.
private struct ChangeFailure: Error {
    let error: any Error
}
