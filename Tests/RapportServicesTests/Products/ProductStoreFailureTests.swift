import Foundation
import Logging
import RapportDomain
import RapportProto
import RapportServer
import RapportServices
import RapportStore
import RapportWire
import Testing

/// The catalog, statistics and offers of a store whose every operation fails with one `StoreError`.
extension FailingStore: ProductStore, RecommendationStatisticsStore, OfferStore {
    func upsertProduct(_ product: Product, expectedEtag: String?) async throws -> ProductUpsert { throw error }
    func product(code: String) async throws -> Product? { throw error }
    func productHistory(code: String) async throws -> [Product] { throw error }
    func listProducts(_ filter: ProductFilter, pageSize: Int, after cursor: ProductCursor?) async throws -> ProductPage { throw error }
    func retireProduct(code: String) async throws -> Product { throw error }
    func activeProducts() async throws -> [Product] { throw error }
    func recommendationStatistics(maxAge: Duration) async throws -> RecommendationStatistics { throw error }
    func offerStatistics() async throws -> OfferStatistics { throw error }
    func offerReport(from: CalendarDate, before: CalendarDate) async throws -> OfferStatistics { throw error }
    func recommendationContext(
        customerID: String, asOf: CalendarDate, lookbackDays: Int, declineLookbackDays: Int, limit: Int
    ) async throws -> RecommendationContext {
        throw error
    }
}

@Suite("RecommendationService maps store failures to statuses")
struct ProductStoreFailureTests {
    @Test(arguments: [
        (StoreError.Kind.notFound, StatusCode.notFound),
        (.etagMismatch, .aborted),
        (.busy, .unavailable),
        (.diskFull, .resourceExhausted),
        (.corrupt, .internal),
    ])
    func eachStoreFailureBecomesItsStatus(kind: StoreError.Kind, expected: StatusCode) async throws {
        let health = HealthMonitor()
        health.setStatus(.serving, for: "")
        let service = RecommendationService(
            store: FailingStore(error: StoreError(kind, "boom")), segmenter: Segmenter(policy: .defaults), health: health)
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await service.upsertProduct(.with { $0.product = .with { $0.code = "CARD"; $0.name = "Card"; $0.category = .card } }, context: StoreFailureTests.context) },
            { _ = try await service.getProduct(.with { $0.code = "CARD" }, context: StoreFailureTests.context) },
            { _ = try await service.listProducts(.init(), context: StoreFailureTests.context) },
            { _ = try await service.retireProduct(.with { $0.code = "CARD" }, context: StoreFailureTests.context) },
            { _ = try await service.getRecommendations(.with { $0.customerID = "cus_x"; $0.channel = .branch; $0.maxResults = 5 }, context: StoreFailureTests.context) },
            { _ = try await service.recordOfferOutcome(.with { $0.customerID = "cus_x"; $0.productCode = "CARD"; $0.outcome = .declined; $0.channel = .branch }, context: StoreFailureTests.context) },
            { _ = try await service.getOfferReport(.init(), context: StoreFailureTests.context) },
        ]
        for call in calls {
            do {
                try await call()
                Issue.record("expected a failure")
            } catch let error as RPCError {
                #expect(error.code == expected)
                if kind == .etagMismatch { #expect(error.message.contains("read the product again")) }
            }
        }
        #expect(health.status(of: "") == (kind == .corrupt ? .notServing : .serving))
    }
}
