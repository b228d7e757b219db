import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportServerStubs
import RapportStore
import RapportWire

/// `rapport.v1.RecommendationService`: the product catalog recommendations draw from.
public struct RecommendationService: Rapport_V1_RecommendationService.ServiceProtocol {
    let products: any ProductStore
    let errors: StoreErrorMapping

    /// - Parameters:
    ///   - products: where the catalog lives.
    ///   - health: turned NOT_SERVING when the store reports corruption.
    public init(products: any ProductStore, health: HealthMonitor) {
        self.products = products
        self.errors = StoreErrorMapping(health: health, resource: "product")
    }

    public func upsertProduct(
        _ request: Rapport_V1_UpsertProductRequest, context: CallContext
    ) async throws -> Rapport_V1_UpsertProductResponse {
        guard request.hasProduct else { throw RPCError(code: .invalidArgument, message: "product: is required") }
        let product = try invalidArgument { () throws(ValidationFailure) in try Product(definition: request.product) }
        try check(ProductValidator.validate(product))
        let upsert = try await errors.map {
            try await products.upsertProduct(product, expectedEtag: request.etag.isEmpty ? nil : request.etag)
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
        guard let product = try await errors.map({ try await products.product(code: code) }) else {
            throw Self.notFound(code)
        }
        let history = request.includeHistory ? try await errors.map { try await products.productHistory(code: code) } : []
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
            let cursor = request.pageToken.isEmpty ? nil : try PageToken(rawValue: request.pageToken).cursor(for: filter)
            return try await products.listProducts(filter, pageSize: pageSize, after: cursor)
        }
        return .with {
            $0.products = page.products.map(\.wire)
            $0.nextPageToken = page.next.map { PageToken(cursor: $0, filter: filter).rawValue } ?? ""
        }
    }

    public func retireProduct(
        _ request: Rapport_V1_RetireProductRequest, context: CallContext
    ) async throws -> Rapport_V1_Product {
        try Self.checkCode(request.code)
        let retired = try await errors.map { try await products.retireProduct(code: request.code) }
        context.logger.info("product retired", metadata: ["product_code": "\(retired.code)", "revision": "\(retired.revision)"])
        return retired.wire
    }

    /// INVALID_ARGUMENT unless `code` is a well-formed product code (so a typo is not a NOT_FOUND).
    private static func checkCode(_ code: String) throws(RPCError) {
        if code.isEmpty { throw RPCError(code: .invalidArgument, message: "code: is required") }
        if !ProductValidator.isProductCode(code) {
            throw RPCError(code: .invalidArgument, message: "code: \(ProductValidator.codeReason)")
        }
    }

    private static func notFound(_ code: String) -> RPCError {
        RPCError(code: .notFound, message: "product \(code) not found")
    }
}
