/// `products`, each code's current version: it must equal the code's latest row of
/// `product_revisions`, which every product write appends in the same transaction.
enum CatalogDerivedTables {
    static let currentProducts = DerivedTableComparison(
        name: "current products (products vs latest product_revisions)",
        keys: ["code"],
        values: ["revision", "category", "active", "definition", "created_at", "updated_at", "retired_at", "etag"],
        stored: "SELECT \(ProductRecord.columns) FROM products",
        expected: """
            SELECT \(ProductRecord.columns) FROM product_revisions r
            WHERE revision = (SELECT MAX(revision) FROM product_revisions WHERE code = r.code)
            """)
}
