import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// A product ready to upsert.
func makeProduct(_ code: String, category: ProductCategory = .card, name: String = "Product") -> Product {
    Product(
        code: code, name: name, description: "Plain words.", category: category,
        eligibility: EligibilityRules(minAge: 18, minAnnualIncome: Money(minorUnits: 20_000_00, currencyCode: "GBP")),
        declineCooldownDays: 30, businessWeight: 10)
}

@Suite("Store: products")
struct ProductStoreTests {
    @Test("A new code creates revision 1, active, and reads back exactly")
    func create() async throws {
        try await withStore { store in
            let upsert = try await store.upsertProduct(makeProduct("CARD_GOLD"), expectedEtag: nil)
            #expect(upsert.created)
            #expect(upsert.product.revision == 1)
            #expect(upsert.product.active)
            #expect(!upsert.product.etag.isEmpty)
            #expect(upsert.product.hasSameDefinition(as: makeProduct("CARD_GOLD")))
            #expect(try await store.product(code: "CARD_GOLD") == upsert.product)
            #expect(try await store.product(code: "NOPE") == nil)
        }
    }

    @Test("Replacing keeps created_at, adds a revision and changes the etag; history keeps both")
    func replace() async throws {
        try await withStore { store in
            let first = try await store.upsertProduct(makeProduct("CARD_GOLD"), expectedEtag: nil).product
            let second = try await store.upsertProduct(makeProduct("CARD_GOLD", name: "Gold card"), expectedEtag: first.etag)
            #expect(!second.created)
            #expect(second.product.revision == 2)
            #expect(second.product.name == "Gold card")
            #expect(second.product.createdAt == first.createdAt)
            #expect(second.product.updatedAt >= first.updatedAt)
            #expect(second.product.etag != first.etag)
            #expect(try await store.productHistory(code: "CARD_GOLD") == [first, second.product])
        }
    }

    @Test("An upsert that changes nothing writes nothing")
    func unchanged() async throws {
        try await withStore { store in
            let first = try await store.upsertProduct(makeProduct("SAVER", category: .deposit), expectedEtag: nil).product
            let again = try await store.upsertProduct(makeProduct("SAVER", category: .deposit), expectedEtag: nil)
            #expect(again == ProductUpsert(product: first, created: false))
            #expect(try await store.productHistory(code: "SAVER").count == 1)
        }
    }

    @Test("A stale etag is etagMismatch and an etag for an unknown code notFound; nothing is written")
    func etags() async throws {
        try await withStore { store in
            let first = try await store.upsertProduct(makeProduct("CARD_GOLD"), expectedEtag: nil).product
            _ = try await store.upsertProduct(makeProduct("CARD_GOLD", name: "Renamed"), expectedEtag: nil)
            let stale = await storeError { _ = try await store.upsertProduct(makeProduct("CARD_GOLD", name: "Stale"), expectedEtag: first.etag) }
            #expect(stale?.kind == .etagMismatch)
            let unknown = await storeError { _ = try await store.upsertProduct(makeProduct("NEW_CODE"), expectedEtag: "0123") }
            #expect(unknown?.kind == .notFound)
            #expect(try await store.product(code: "NEW_CODE") == nil)
            #expect(try await store.product(code: "CARD_GOLD")?.name == "Renamed")
        }
    }

    @Test("Retiring keeps the row and history, is idempotent, and an upsert brings the product back")
    func retire() async throws {
        try await withStore { store in
            let first = try await store.upsertProduct(makeProduct("LOAN", category: .personalLoan), expectedEtag: nil).product
            let retired = try await store.retireProduct(code: "LOAN")
            #expect(!retired.active)
            #expect(retired.retiredAt != nil)
            #expect(retired.revision == 2)
            #expect(try await store.retireProduct(code: "LOAN") == retired)
            #expect(try await store.product(code: "LOAN") == retired)
            let back = try await store.upsertProduct(makeProduct("LOAN", category: .personalLoan), expectedEtag: retired.etag).product
            #expect(back.active && back.retiredAt == nil && back.revision == 3)
            #expect(try await store.productHistory(code: "LOAN").map(\.revision) == [1, 2, 3])
            #expect(try await store.productHistory(code: "LOAN").first == first)
        }
    }

    @Test("Retiring an unknown code is notFound")
    func retireUnknown() async throws {
        try await withStore { store in
            let error = await storeError { _ = try await store.retireProduct(code: "NOPE") }
            #expect(error?.kind == .notFound)
        }
    }

    @Test("Lists page in code order by category, with or without retired products")
    func list() async throws {
        try await withStore { store in
            for code in ["C_CARD", "A_CARD", "B_CARD", "D_CARD"] {
                _ = try await store.upsertProduct(makeProduct(code), expectedEtag: nil)
            }
            _ = try await store.upsertProduct(makeProduct("MORTGAGE", category: .mortgage), expectedEtag: nil)
            _ = try await store.retireProduct(code: "B_CARD")
            let cards = ProductFilter(category: .card)
            let first = try await store.listProducts(cards, pageSize: 2, after: nil)
            #expect(first.products.map(\.code) == ["A_CARD", "C_CARD"])
            let second = try await store.listProducts(cards, pageSize: 2, after: first.next)
            #expect(second.products.map(\.code) == ["D_CARD"])
            #expect(second.next == nil)
            let all = try await store.listProducts(ProductFilter(includeRetired: true), pageSize: 10, after: nil)
            #expect(all.products.map(\.code) == ["A_CARD", "B_CARD", "C_CARD", "D_CARD", "MORTGAGE"])
        }
    }

    @Test("A product page token fits only its own filters")
    func pageTokens() throws {
        let cards = ProductFilter(category: .card)
        let codec = PageTokenCodec.ephemeral()
        let token = codec.token(for: ProductCursor(afterCode: "A_CARD"), filter: cards)
        #expect(try codec.cursor(token, for: cards) == ProductCursor(afterCode: "A_CARD"))
        #expect(throws: StoreError.self) { try codec.cursor(token, for: ProductFilter(category: .card, includeRetired: true)) }
        #expect(throws: StoreError.self) { try codec.cursor("garbage", for: cards) }
        #expect(throws: StoreError.self) { try PageTokenCodec.ephemeral().cursor(token, for: cards) }
    }

    @Test("The migration creates the catalog tables and the category index")
    func schema() async throws {
        try await withStore { store in
            let (tables, indexColumns) = try await store.pool.read { db in
                (
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('products', 'product_revisions') ORDER BY name"),
                    try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('products_by_category') ORDER BY seqno")
                )
            }
            #expect(tables == ["product_revisions", "products"])
            #expect(indexColumns == ["category", "code"])
        }
    }
}
