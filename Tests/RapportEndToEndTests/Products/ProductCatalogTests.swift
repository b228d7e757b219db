import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("RecommendationService: product catalog")
struct ProductCatalogTests {
    @Test func upsertCreatesThenReplacesAndGetShowsTheHistory() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.fund() })
            #expect(created.created)
            let first = created.product
            #expect(first.active && first.revision == 1 && !first.etag.isEmpty)
            #expect(first.eligibility == ProductFixtures.fund().eligibility)
            #expect(first.hasCreateTime && first.updateTime == first.createTime && !first.hasRetireTime)

            var changed = ProductFixtures.fund()
            changed.businessWeight = 80
            let replaced = try await client.recommendations.upsertProduct(.with {
                $0.product = changed
                $0.etag = first.etag
            })
            #expect(!replaced.created)
            #expect(replaced.product.businessWeight == 80 && replaced.product.revision == 2)
            #expect(replaced.product.createTime == first.createTime)

            let read = try await client.recommendations.getProduct(.with {
                $0.code = "FUND_BALANCED"
                $0.includeHistory = true
            })
            #expect(read.product == replaced.product)
            #expect(read.history == [first, replaced.product])
            let withoutHistory = try await client.recommendations.getProduct(.with { $0.code = "FUND_BALANCED" })
            #expect(withoutHistory.history.isEmpty)
            await client.close()
        }
    }

    @Test func staleEtagIsAbortedLikeUpdateCustomer() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let first = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.fund() }).product
            var changed = ProductFixtures.fund()
            changed.name = "Renamed"
            _ = try await client.recommendations.upsertProduct(.with { $0.product = changed })
            let stale = await rpcError {
                _ = try await client.recommendations.upsertProduct(.with {
                    $0.product = ProductFixtures.fund()
                    $0.etag = first.etag
                })
            }
            #expect(stale?.code == .aborted)
            #expect(stale?.message.contains("read the product again") == true)
            let unknown = await rpcError {
                _ = try await client.recommendations.upsertProduct(.with {
                    $0.product = ProductFixtures.plain("NEVER_CREATED")
                    $0.etag = "0123456789abcdef"
                })
            }
            #expect(unknown?.code == .notFound)
            #expect(try await client.recommendations.getProduct(.with { $0.code = "FUND_BALANCED" }).product.name == "Renamed")
            await client.close()
        }
    }

    /// Each invalid product is refused with INVALID_ARGUMENT whose message starts with the field path.
    static let invalidProducts: [(String, @Sendable (inout Rapport_V1_Product) -> Void)] = [
        ("product.code", { $0.code = "fund-balanced" }),
        ("product.name", { $0.name = " " }),
        ("product.description", { $0.description_p = "bell\u{7}" }),
        ("product.category", { $0.category = .unspecified }),
        ("product.category", { $0.category = .UNRECOGNIZED(42) }),
        ("product.eligibility.min_age", { $0.eligibility.minAge = -1 }),
        ("product.eligibility.max_age", { $0.eligibility.maxAge = 131 }),
        ("product.eligibility.min_age", { $0.eligibility.minAge = 70; $0.eligibility.maxAge = 18 }),
        ("product.eligibility.min_annual_income", { $0.eligibility.minAnnualIncome = .with { $0.minorUnits = -1; $0.currencyCode = "GBP" } }),
        ("product.eligibility.min_assets", { $0.eligibility.minAssets = .with { $0.minorUnits = 1; $0.currencyCode = "pounds" } }),
        ("product.eligibility.allowed_value_tiers", { $0.eligibility.allowedValueTiers = [.mass, .mass] }),
        ("product.eligibility.allowed_value_tiers[0]", { $0.eligibility.allowedValueTiers = [.unspecified] }),
        ("product.eligibility.required_kyc_status", { $0.eligibility.requiredKycStatus = .UNRECOGNIZED(9) }),
        ("product.eligibility.risk_rating", { $0.eligibility.riskRating = .unspecified }),
        ("product.eligibility.risk_rating", { $0.category = .card }),
        ("product.decline_cooldown_days", { $0.declineCooldownDays = 3651 }),
        ("product.business_weight", { $0.businessWeight = 101 }),
    ]

    @Test(arguments: 0..<invalidProducts.count)
    func invalidProductIsRefusedNamingTheField(index: Int) async throws {
        let (field, spoil) = Self.invalidProducts[index]
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            var product = ProductFixtures.fund()
            spoil(&product)
            let error = await rpcError { _ = try await client.recommendations.upsertProduct(.with { $0.product = product }) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("\(field): ") == true, "\(error?.message ?? "")")
            let listed = try await client.recommendations.listProducts(.with { $0.includeRetired = true })
            #expect(listed.products.isEmpty)
            await client.close()
        }
    }

    @Test func missingProductAndMalformedCodesAreInvalidArgument() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let missing = await rpcError { _ = try await client.recommendations.upsertProduct(.init()) }
            #expect(missing?.code == .invalidArgument && missing?.message.hasPrefix("product: ") == true)
            for code in ["", "lower_case"] {
                let get = await rpcError { _ = try await client.recommendations.getProduct(.with { $0.code = code }) }
                #expect(get?.code == .invalidArgument && get?.message.hasPrefix("code: ") == true)
                let retire = await rpcError { _ = try await client.recommendations.retireProduct(.with { $0.code = code }) }
                #expect(retire?.code == .invalidArgument && retire?.message.hasPrefix("code: ") == true)
            }
            await client.close()
        }
    }

    @Test func retireKeepsTheProductAndItsHistoryAndIsIdempotent() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            _ = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.plain("CARD_GOLD") })
            let retired = try await client.recommendations.retireProduct(.with { $0.code = "CARD_GOLD" })
            #expect(!retired.active && retired.hasRetireTime && retired.revision == 2)
            #expect(try await client.recommendations.retireProduct(.with { $0.code = "CARD_GOLD" }) == retired)
            let read = try await client.recommendations.getProduct(.with {
                $0.code = "CARD_GOLD"
                $0.includeHistory = true
            })
            #expect(read.product == retired)
            #expect(read.history.map(\.active) == [true, false])
            let unknown = await rpcError { _ = try await client.recommendations.retireProduct(.with { $0.code = "NO_SUCH_PRODUCT" }) }
            #expect(unknown?.code == .notFound)
            let get = await rpcError { _ = try await client.recommendations.getProduct(.with { $0.code = "NO_SUCH_PRODUCT" }) }
            #expect(get?.code == .notFound)
            await client.close()
        }
    }

    @Test func listFiltersByCategoryHidesRetiredAndPages() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            for code in ["CARD_C", "CARD_A", "CARD_B", "CARD_D"] {
                _ = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.plain(code) })
            }
            _ = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.plain("SAVER", .deposit) })
            _ = try await client.recommendations.retireProduct(.with { $0.code = "CARD_B" })

            let first = try await client.recommendations.listProducts(.with {
                $0.category = .card
                $0.pageSize = 2
            })
            #expect(first.products.map(\.code) == ["CARD_A", "CARD_C"])
            let second = try await client.recommendations.listProducts(.with {
                $0.category = .card
                $0.pageSize = 2
                $0.pageToken = first.nextPageToken
            })
            #expect(second.products.map(\.code) == ["CARD_D"])
            #expect(second.nextPageToken.isEmpty)
            let all = try await client.recommendations.listProducts(.with { $0.includeRetired = true })
            #expect(all.products.map(\.code) == ["CARD_A", "CARD_B", "CARD_C", "CARD_D", "SAVER"])

            let otherFilters = await rpcError {
                _ = try await client.recommendations.listProducts(.with {
                    $0.category = .deposit
                    $0.pageToken = first.nextPageToken
                })
            }
            #expect(otherFilters?.code == .invalidArgument && otherFilters?.message.hasPrefix("page_token") == true)
            let garbage = await rpcError { _ = try await client.recommendations.listProducts(.with { $0.pageToken = "not-a-token" }) }
            #expect(garbage?.code == .invalidArgument)
            let negative = await rpcError { _ = try await client.recommendations.listProducts(.with { $0.pageSize = -1 }) }
            #expect(negative?.code == .invalidArgument && negative?.message.hasPrefix("page_size") == true)
            let badCategory = await rpcError { _ = try await client.recommendations.listProducts(.with { $0.category = .UNRECOGNIZED(77) }) }
            #expect(badCategory?.code == .invalidArgument && badCategory?.message.hasPrefix("category: ") == true)
            await client.close()
        }
    }

    /// Acknowledged means committed: a product survives a restart on the same data directory.
    @Test func upsertedProductSurvivesARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-products-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try await TestDaemon.run(configure: { $0.dataDirectory = directory }) { daemon in
            let client = try await daemon.makeClient()
            let product = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.fund() }).product
            await client.close()
            return product
        }
        try await TestDaemon.run(configure: { $0.dataDirectory = directory }) { daemon in
            let client = try await daemon.makeClient()
            #expect(try await client.recommendations.getProduct(.with { $0.code = "FUND_BALANCED" }).product == written)
            await client.close()
        }
    }
}
