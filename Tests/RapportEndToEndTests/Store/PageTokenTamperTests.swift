import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

/// Only tokens the daemon issued are accepted: every one-character change, truncation and
/// extension of a real token of every listing RPC is INVALID_ARGUMENT — never a page, never the
/// empty page that would end a client's listing early.
@Suite("Page tokens the daemon did not issue")
struct PageTokenTamperTests {
    /// A listing RPC with fixed filters, called with a page token.
    struct Listing: Sendable {
        let name: String
        /// The first page's `next_page_token`.
        let token: String
        /// Calls the RPC with the same filters and `pageToken`.
        let call: @Sendable (_ pageToken: String) async throws -> Void
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// Every one-character change (to each character of the token's alphabet, and to characters
    /// outside it), every truncation but the empty token (which asks for the first page) and
    /// every one-character extension of `token`.
    static func variants(of token: String) -> [String] {
        let characters = Array(token)
        var variants: [String] = []
        for index in characters.indices {
            for replacement in alphabet + ["=", ".", "+", "/"] where replacement != characters[index] {
                var changed = characters
                changed[index] = replacement
                variants.append(String(changed))
            }
        }
        for length in 1..<characters.count {
            variants.append(String(characters.prefix(length)))
        }
        for extra in alphabet + ["="] {
            variants.append(token + String(extra))
        }
        return variants
    }

    @Test func everyChangedTruncatedOrExtendedTokenOfEveryListingIsInvalidArgument() async throws {
        try await InteractionHarness.run { world in
            let listings = try await Self.listings(world)
            #expect(listings.count == 5)
            for listing in listings {
                // The genuine token is accepted, so each refusal below is the variant's doing.
                try await listing.call(listing.token)
                let variants = Self.variants(of: listing.token)
                let accepted = try await Self.notRefused(variants, by: listing)
                #expect(
                    accepted.count == 0,
                    "\(listing.name): \(accepted.count) of \(variants.count) variants were not INVALID_ARGUMENT, e.g. \(accepted.prefix(3))")
            }
        }
    }

    /// The variants `listing` did not refuse with INVALID_ARGUMENT, with what it answered.
    static func notRefused(_ variants: [String], by listing: Listing) async throws -> [String] {
        try await withThrowingTaskGroup(of: String?.self) { group in
            var pending = variants[...]
            var accepted: [String] = []
            // Enough calls in flight to keep the daemon busy, far below its per-connection limit.
            for _ in 0..<32 {
                guard let variant = pending.popFirst() else { break }
                group.addTask { await Self.check(variant, listing) }
            }
            while let result = try await group.next() {
                if let result { accepted.append(result) }
                if let variant = pending.popFirst() { group.addTask { await Self.check(variant, listing) } }
            }
            return accepted
        }
    }

    /// nil when `variant` was refused as a token the daemon did not issue; otherwise what happened.
    static func check(_ variant: String, _ listing: Listing) async -> String? {
        do {
            try await listing.call(variant)
            return "'\(variant)' → OK"
        } catch let error as RPCError {
            guard error.code == .invalidArgument, error.message.contains("page_token") else {
                return "'\(variant)' → \(error.code): \(error.message)"
            }
            return nil
        } catch {
            return "'\(variant)' → \(error)"
        }
    }

    /// A real first-page token of every listing RPC: customers by id and by name, a customer's
    /// interactions, the follow-up queue and the product catalog.
    static func listings(_ world: InteractionHarness) async throws -> [Listing] {
        let client = world.client
        let ada = try await world.customer(name: "Ada Lovelace")
        _ = try await world.customer(name: "Ada Byron")
        _ = try await world.customer(name: "Adam Smith")
        _ = try await world.logBatch((1...3).map {
            InteractionFixtures.interaction(ada.id, .complaint, at: world.clock.offset(hours: -Double($0)))
        })
        for code in ["CARD_A", "CARD_B", "CARD_C"] {
            _ = try await client.recommendations.upsertProduct(.with { $0.product = ProductFixtures.plain(code) })
        }

        let byID: Rapport_V1_ListCustomersRequest = .with { $0.pageSize = 1 }
        let byName: Rapport_V1_ListCustomersRequest = .with { $0.pageSize = 1; $0.namePrefix = "ada" }
        let interactions: Rapport_V1_ListInteractionsRequest = .with { $0.pageSize = 1; $0.customerID = ada.id }
        let followUps: Rapport_V1_ListFollowUpsRequest = .with { $0.pageSize = 1 }
        let products: Rapport_V1_ListProductsRequest = .with { $0.pageSize = 1; $0.category = .card }
        return [
            Listing(name: "ListCustomers", token: try await client.customers.listCustomers(byID).nextPageToken) { token in
                var request = byID
                request.pageToken = token
                _ = try await client.customers.listCustomers(request)
            },
            Listing(name: "ListCustomers by name", token: try await client.customers.listCustomers(byName).nextPageToken) { token in
                var request = byName
                request.pageToken = token
                _ = try await client.customers.listCustomers(request)
            },
            Listing(name: "ListInteractions", token: try await client.interactions.listInteractions(interactions).nextPageToken) { token in
                var request = interactions
                request.pageToken = token
                _ = try await client.interactions.listInteractions(request)
            },
            Listing(name: "ListFollowUps", token: try await client.interactions.listFollowUps(followUps).nextPageToken) { token in
                var request = followUps
                request.pageToken = token
                _ = try await client.interactions.listFollowUps(request)
            },
            Listing(name: "ListProducts", token: try await client.recommendations.listProducts(products).nextPageToken) { token in
                var request = products
                request.pageToken = token
                _ = try await client.recommendations.listProducts(request)
            },
        ]
    }
}
