import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportServerStubs
import RapportStore
import RapportWire
import SwiftProtobuf

/// `rapport.v1.CustomerService`: validates requests, computes segments and keeps customers in the store.
public struct CustomerService: Rapport_V1_CustomerService.ServiceProtocol {
    /// Default and largest page of ListCustomers.
    public static let defaultPageSize = PageSize.defaultSize
    public static let maxPageSize = PageSize.maximum

    let store: any CustomerStore
    /// The interaction log, for the customer-360 overview.
    let interactions: any InteractionStore
    let segmenter: Segmenter
    let errors: StoreErrorMapping
    let now: @Sendable () -> Date
    /// Records unmasked reads and failed write attempts.
    let audit: AuditRecording
    /// How far back a consent decision may be dated without `Permission.backdateConsent`.
    let consentBackdatingWindow: TimeInterval

    /// - Parameters:
    ///   - store: where customers live.
    ///   - interactions: the interaction log (in the daemon, the same store object).
    ///   - policy: the segmentation thresholds.
    ///   - health: turned NOT_SERVING when the store reports corruption.
    ///   - now: the clock; injected so tests can fix "today".
    ///   - auditTrail: where unmasked reads and failed writes are recorded; nil records none.
    ///   - consentBackdatingWindow: how far before now a consent decision may be dated without
    ///     `Permission.backdateConsent`.
    public init(
        store: any CustomerStore,
        interactions: any InteractionStore,
        policy: SegmentationPolicy = .defaults,
        health: HealthMonitor,
        now: @escaping @Sendable () -> Date = Date.init,
        auditTrail: (any AuditTrail)? = nil,
        consentBackdatingWindow: TimeInterval = ConsentProvenance.defaultBackdatingWindow
    ) {
        self.audit = AuditRecording(trail: auditTrail, now: now)
        self.consentBackdatingWindow = consentBackdatingWindow
        self.store = store
        self.interactions = interactions
        self.segmenter = Segmenter(policy: policy)
        self.errors = StoreErrorMapping(health: health)
        self.now = now
    }

    public func createCustomer(
        _ request: Rapport_V1_CreateCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_Customer {
        try await audit.write(context, customerIDs: []) { try await create(request, context: context) }
    }

    func create(
        _ request: Rapport_V1_CreateCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_Customer {
        let now = now()
        if let failure = MaskedValueGuard.failure(in: request.profile, fields: ProfileField.allCases) { throw failure }
        let profile = try invalidArgument { () throws(ValidationFailure) in try CustomerProfile(wire: request.profile) }
        let externalRef = request.externalRef.isEmpty ? nil : request.externalRef
        try check(CustomerValidator.validate(profile, externalRef: externalRef, today: CalendarDate(utcDayOf: now)))
        try check(RequestIDRule.failure(request.requestID))
        let customer = Customer.new(profile: profile, externalRef: externalRef, customerSince: now, now: now, segmenter: segmenter)
        let outcome = try await errors.map { try await store.create(customer, requestID: request.requestID.isEmpty ? nil : request.requestID, audit: context.auditStamp) }
        switch outcome {
        case .created(let created):
            context.logger.info("customer created", metadata: ["customer_id": "\(created.id)"])
            return created.wire.visible(to: context)
        case .replayed(let first):
            context.logger.info("create replayed", metadata: ["customer_id": "\(first.id)"])
            return first.wire.visible(to: context)
        }
    }

    public func getCustomer(
        _ request: Rapport_V1_GetCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_Customer {
        let customer = try await lookUp(id: request.id, externalRef: request.externalRef)
        audit.read(context, customerIDs: [customer.id])
        return customer.wire.visible(to: context)
    }

    public func updateCustomer(
        _ request: Rapport_V1_UpdateCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_Customer {
        try await audit.write(context, customerIDs: [request.id]) { try await update(request, context: context) }
    }

    func update(
        _ request: Rapport_V1_UpdateCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_Customer {
        guard !request.id.isEmpty else { throw Self.idRequired }
        let paths = request.updateMask.paths
        let changesExternalRef = paths.contains("external_ref")
        let profilePaths = paths.filter { $0 != "external_ref" }
        let fields = try invalidArgument { () throws(ValidationFailure) -> [ProfileField] in
            if changesExternalRef && profilePaths.isEmpty { return [] }
            return try ProfileField.parse(profilePaths).get()
        }
        if let failure = MaskedValueGuard.failure(in: request.profile, fields: fields) { throw failure }
        let replacement = try invalidArgument { () throws(ValidationFailure) in try CustomerProfile(wire: request.profile) }
        let now = now()
        let segmenter = segmenter
        let newExternalRef = request.externalRef.isEmpty ? nil : request.externalRef
        let today = CalendarDate(utcDayOf: now)
        let updated = try await errors.map {
            try await store.update(id: request.id, expectedEtag: request.etag.isEmpty ? nil : request.etag, today: today, audit: context.auditStamp) { customer, activity in
                customer.profile.replace(fields, from: replacement)
                if changesExternalRef { customer.externalRef = newExternalRef }
                if let failure = CustomerValidator.validate(customer.profile, externalRef: customer.externalRef, today: today) {
                    throw failure
                }
                customer.segmentation = segmenter.segment(
                    customer.profile, customerSince: customer.createdAt, activity: activity, today: today)
            }
        }
        return updated.wire.visible(to: context)
    }

    public func deleteCustomer(
        _ request: Rapport_V1_DeleteCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_DeleteCustomerResponse {
        try await audit.write(context, customerIDs: [request.id]) { try await delete(request, context: context) }
    }

    func delete(
        _ request: Rapport_V1_DeleteCustomerRequest, context: CallContext
    ) async throws -> Rapport_V1_DeleteCustomerResponse {
        guard !request.id.isEmpty else { throw Self.idRequired }
        let receipt = try await errors.map {
            try await store.delete(
                id: request.id, expectedEtag: request.etag.isEmpty ? nil : request.etag, audit: context.auditStamp)
        }
        context.logger.info(
            "customer erased",
            metadata: ["customer_id": "\(LogText.escaped(request.id))", "erasure_id": "\(receipt.id)"])
        return .with {
            $0.erasureID = receipt.id
            $0.erasedAt = Google_Protobuf_Timestamp(date: receipt.erasedAt)
            $0.kept = receipt.kept.map { fact in
                .with {
                    $0.kind = fact.kind
                    $0.count = Int64(fact.count)
                    $0.description_p = fact.description
                }
            }
        }
    }

    /// The customer a request's `key` oneof names (its unset member reads as empty).
    /// - Throws: INVALID_ARGUMENT when neither is set, NOT_FOUND when there is no such customer.
    func lookUp(id: String, externalRef: String) async throws -> Customer {
        if !id.isEmpty {
            return try await found(errors.map { try await store.customer(id: id) }, "customer \(id)", by: "customer not found by id")
        }
        if !externalRef.isEmpty {
            return try await found(
                errors.map { try await store.customer(externalRef: externalRef) }, "customer with external_ref \(externalRef)",
                by: "customer not found by external_ref")
        }
        throw RPCError(code: .invalidArgument, message: "id or external_ref is required", logSummary: "id or external_ref is required")
    }

    /// INVALID_ARGUMENT for a request without the customer's id.
    static let idRequired = RPCError(code: .invalidArgument, message: "id is required", logSummary: "id: is required")

    /// Turns a store lookup's nil into NOT_FOUND; the message names the key the caller sent, the
    /// log only which kind of key it was.
    private func found(_ customer: Customer?, _ what: String, by summary: LogSummary) throws -> Customer {
        guard let customer else { throw RPCError(code: .notFound, message: "\(what) not found", logSummary: summary) }
        return customer
    }
}
