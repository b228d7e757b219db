import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportServerStubs
import RapportStore
import RapportWire

/// What recommendations read and write: the catalog, the customers' evidence and the statistics
/// across customers, and the interaction log that offer outcomes are recorded in.
public typealias RecommendationStore = ProductStore & CustomerStore & InteractionStore & RecommendationStatisticsStore & OfferStore

/// `rapport.v1.RecommendationService`: the product catalog, next-best-offer recommendations and
/// the outcomes of offers.
public struct RecommendationService: Rapport_V1_RecommendationService.ServiceProtocol {
    let store: any RecommendationStore
    let recommender: Recommender
    let interactionPolicy: InteractionPolicy
    let segmenter: Segmenter
    let errors: StoreErrorMapping
    let now: @Sendable () -> Date
    /// Records failed write attempts.
    let audit: AuditRecording

    /// - Parameters:
    ///   - store: the catalog, customers, statistics and interaction log.
    ///   - policy: the signals' weights and the rules' limits.
    ///   - interactionPolicy: the follow-up SLA and the validation limits outcomes are logged with.
    ///   - segmenter: re-computes a customer's segments when an outcome is logged.
    ///   - health: turned NOT_SERVING when the store reports corruption.
    ///   - now: the clock; injected so tests can fix "today".
    public init(
        store: any RecommendationStore, policy: RecommendationPolicy = .defaults, interactionPolicy: InteractionPolicy = .defaults,
        segmenter: Segmenter, health: HealthMonitor, now: @escaping @Sendable () -> Date = Date.init,
        auditTrail: (any AuditTrail)? = nil
    ) {
        self.audit = AuditRecording(trail: auditTrail, now: now)
        self.store = store
        self.recommender = Recommender(policy: policy, followUpSLA: interactionPolicy.followUpSLA)
        self.interactionPolicy = interactionPolicy
        self.segmenter = segmenter
        self.errors = StoreErrorMapping(health: health, resource: "product")
        self.now = now
    }

    /// What a logged outcome needs besides the interaction: the clock, the SLA and the segmenter.
    func logContext(_ now: Date, audit: AuditStamp? = nil) -> LogContext {
        LogContext(now: now, followUpSLA: interactionPolicy.followUpSLA, segmenter: segmenter, audit: audit)
    }

    public func upsertProduct(
        _ request: Rapport_V1_UpsertProductRequest, context: CallContext
    ) async throws -> Rapport_V1_UpsertProductResponse {
        try await audit.write(context, customerIDs: []) { try await upsert(request, context: context) }
    }

    func upsert(
        _ request: Rapport_V1_UpsertProductRequest, context: CallContext
    ) async throws -> Rapport_V1_UpsertProductResponse {
        guard request.hasProduct else {
            throw RPCError(code: .invalidArgument, message: "product: is required", logSummary: "product: is required")
        }
        let product = try invalidArgument { () throws(ValidationFailure) in try Product(definition: request.product) }
        try check(ProductValidator.validate(product))
        let upsert = try await errors.map {
            try await store.upsertProduct(product, expectedEtag: request.etag.isEmpty ? nil : request.etag, audit: context.auditStamp)
        }
        context.logger.info(
            "product upserted", metadata: ["product_code": "\(upsert.product.code)", "revision": "\(upsert.product.revision)"])
        return .with {
            $0.product = upsert.product.wire
            $0.created = upsert.created
        }
    }

    public func getProduct(
        _ request: Rapport_V1_GetProductRequest, context: CallContext
    ) async throws -> Rapport_V1_GetProductResponse {
        try Self.checkCode(request.code)
        let code = request.code
        guard let product = try await errors.map({ try await store.product(code: code) }) else {
            throw Self.notFound(code)
        }
        let history = request.includeHistory ? try await errors.map { try await store.productHistory(code: code) } : []
        return .with {
            $0.product = product.wire
            $0.history = history.map(\.wire)
        }
    }

    public func listProducts(
        _ request: Rapport_V1_ListProductsRequest, context: CallContext
    ) async throws -> Rapport_V1_ListProductsResponse {
        let pageSize = try PageSize.resolve(request.pageSize)
        let filter = try invalidArgument { () throws(ValidationFailure) in
            ProductFilter(category: try request.category.domain(field: "category"), includeRetired: request.includeRetired)
        }
        let page = try await errors.map { () async throws -> ProductPage in
            let cursor = request.pageToken.isEmpty ? nil : try store.pageTokens.cursor(request.pageToken, for: filter)
            return try await store.listProducts(filter, pageSize: pageSize, after: cursor)
        }
        return .with {
            $0.products = page.products.map(\.wire)
            $0.nextPageToken = page.next.map { store.pageTokens.token(for: $0, filter: filter) } ?? ""
        }
    }

    public func retireProduct(
        _ request: Rapport_V1_RetireProductRequest, context: CallContext
    ) async throws -> Rapport_V1_Product {
        try await audit.write(context, customerIDs: []) { try await retire(request, context: context) }
    }

    func retire(
        _ request: Rapport_V1_RetireProductRequest, context: CallContext
    ) async throws -> Rapport_V1_Product {
        try Self.checkCode(request.code)
        let retired = try await errors.map { try await store.retireProduct(code: request.code, audit: context.auditStamp) }
        context.logger.info("product retired", metadata: ["product_code": "\(retired.code)", "revision": "\(retired.revision)"])
        return retired.wire
    }

    /// INVALID_ARGUMENT unless `code` is a well-formed product code (so a typo is not a NOT_FOUND).
    private static func checkCode(_ code: String) throws(RPCError) {
        if code.isEmpty { throw RPCError(code: .invalidArgument, message: "code: is required", logSummary: "code: is required") }
        if !ProductValidator.isProductCode(code) {
            throw RPCError(code: .invalidArgument, message: "code: \(ProductValidator.codeReason)", logSummary: "code: invalid")
        }
    }

    private static func notFound(_ code: String) -> RPCError {
        RPCError(code: .notFound, message: "product \(code) not found", logSummary: "product not found")
    }
}
