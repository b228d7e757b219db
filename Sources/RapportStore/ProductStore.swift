import RapportDomain

/// The product-catalog persistence interface the recommendation service uses; SQLite implements it.
///
/// Every write is one transaction that also appends the written version to the product's
/// revision history, and returns only after it committed. Failures are `StoreError`s.
public protocol ProductStore: PageTokenIssuer {
    /// Creates `product` (revision 1) or replaces the definition of the product with its code
    /// (one more revision; a retired product becomes active again). An upsert that changes
    /// nothing on an active product writes nothing and returns it as it is.
    ///
    /// - Parameter expectedEtag: When non-nil and non-empty, the product must exist with this etag.
    /// - Throws: `.notFound` when an etag was given for a code that does not exist; `.etagMismatch`.
    func upsertProduct(_ product: Product, expectedEtag: String?) async throws -> ProductUpsert

    /// The product with this code (retired or not), or nil.
    func product(code: String) async throws -> Product?

    /// Every revision of the product, oldest first; empty when there is no such product.
    func productHistory(code: String) async throws -> [Product]

    /// One page of products matching `filter`, in code order.
    ///
    /// - Throws: `.invalidPageToken` when the cursor does not fit the filter.
    func listProducts(_ filter: ProductFilter, pageSize: Int, after cursor: ProductCursor?) async throws -> ProductPage

    /// Marks the product retired (inactive, with `retiredAt`) as a new revision; a retired
    /// product is returned unchanged.
    ///
    /// - Throws: `.notFound`.
    func retireProduct(code: String) async throws -> Product

    /// Every active product, in code order; kept in memory between product writes.
    func activeProducts() async throws -> [Product]

    /// `upsertProduct`, with the write's audit event (under `audit`, when given) in its transaction.
    func upsertProduct(_ product: Product, expectedEtag: String?, audit: AuditStamp?) async throws -> ProductUpsert

    /// `retireProduct`, with the write's audit event (under `audit`, when given) in its transaction.
    func retireProduct(code: String, audit: AuditStamp?) async throws -> Product
}

/// Stores that keep no audit trail (test doubles) write as they would without a stamp.
extension ProductStore {
    public func upsertProduct(_ product: Product, expectedEtag: String?, audit: AuditStamp?) async throws -> ProductUpsert {
        try await upsertProduct(product, expectedEtag: expectedEtag)
    }

    public func retireProduct(code: String, audit: AuditStamp?) async throws -> Product {
        try await retireProduct(code: code)
    }
}

/// What an upsert stored, and whether it created the product.
public struct ProductUpsert: Sendable, Hashable {
    public let product: Product
    /// True when no product had the code before.
    public let created: Bool

    public init(product: Product, created: Bool) {
        self.product = product
        self.created = created
    }
}

/// Which products a list returns.
public struct ProductFilter: Sendable, Hashable {
    /// Nil lists every category.
    public var category: ProductCategory?
    /// Also list retired products.
    public var includeRetired: Bool

    public init(category: ProductCategory? = nil, includeRetired: Bool = false) {
        self.category = category
        self.includeRetired = includeRetired
    }
}

/// Where a page of products ended: the last code served.
public struct ProductCursor: Sendable, Hashable, Codable {
    public let afterCode: String

    public init(afterCode: String) {
        self.afterCode = afterCode
    }
}

/// One page of products and, unless it is the last, where the next one starts.
public struct ProductPage: Sendable, Hashable {
    public let products: [Product]
    public let next: ProductCursor?

    public init(products: [Product], next: ProductCursor?) {
        self.products = products
        self.next = next
    }
}
