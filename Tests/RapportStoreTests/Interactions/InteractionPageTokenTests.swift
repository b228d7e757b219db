import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct InteractionPageTokenTests {
    static let customer = "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV"
    static let filter = InteractionFilter(
        occurredFrom: ReadFixture.time(0), occurredBefore: ReadFixture.time(86_400_000),
        channels: [.phone, .branch], kinds: [.complaint])
    static let cursor = InteractionCursor(occurredAtMillis: 1_741_564_900_123, id: "int_00000042")
    let codec = PageTokenCodec.ephemeral()

    @Test func roundTripsIgnoringTheOrderOfSets() throws {
        let token = codec.token(for: Self.cursor, customerID: Self.customer, filter: Self.filter)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        var reordered = InteractionFilter(occurredFrom: Self.filter.occurredFrom, occurredBefore: Self.filter.occurredBefore)
        reordered.kinds = [.complaint]
        reordered.channels = [.branch, .phone]
        #expect(try codec.cursor(token, customerID: Self.customer, filter: reordered) == Self.cursor)
    }

    @Test(arguments: [
        (customer, InteractionFilter()),
        ("cus_other", filter),
        (customer, InteractionFilter(occurredFrom: filter.occurredFrom, channels: filter.channels, kinds: filter.kinds)),
        (customer, InteractionFilter(
            occurredFrom: filter.occurredFrom, occurredBefore: ReadFixture.time(1), channels: filter.channels,
            kinds: filter.kinds)),
        (customer, InteractionFilter(
            occurredFrom: filter.occurredFrom, occurredBefore: filter.occurredBefore, channels: [.phone], kinds: filter.kinds)),
        (customer, InteractionFilter(
            occurredFrom: filter.occurredFrom, occurredBefore: filter.occurredBefore, channels: filter.channels,
            kinds: [.complaint, .note])),
    ])
    func rejectsATokenFromAnotherCustomerOrFilter(_ customer: String, _ filter: InteractionFilter) throws {
        let token = codec.token(for: Self.cursor, customerID: Self.customer, filter: Self.filter)
        let error = #expect(throws: StoreError.self) { try codec.cursor(token, customerID: customer, filter: filter) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("different filters") == true)
        #expect(error?.message.contains("omit page_token") == true)
    }

    @Test func tokensOfOneListDoNotFitAnother() throws {
        let customerToken = codec.token(for: PageCursor(afterID: "cus_1"), query: CustomerQuery())
        let followUpToken = codec.token(for: FollowUpCursor(dueAtMillis: 5, interactionID: "int_1"), filter: FollowUpFilter())
        let interactionToken = codec.token(for: Self.cursor, customerID: Self.customer, filter: InteractionFilter())
        for token in [customerToken, followUpToken] {
            let error = #expect(throws: StoreError.self) { try codec.cursor(token, customerID: Self.customer, filter: InteractionFilter()) }
            #expect(error?.kind == .invalidPageToken)
        }
        #expect(throws: StoreError.self) { try codec.cursor(interactionToken, for: FollowUpFilter()) }
        #expect(throws: StoreError.self) { try codec.cursor(interactionToken, for: CustomerQuery()) }
    }

    @Test(arguments: [
        "", "not a token!", "abc", "e30", "eyJ2IjoyfQ", String(repeating: "A", count: 5000), "AgAAAAAAAAAAAAAA",
        "AwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        PageTokenCodec.base64URLEncoded(Data(#"{"v":1,"q":"0","id":"cus_1"}"#.utf8)),
    ])
    func rejectsGarbage(_ text: String) throws {
        let error = #expect(throws: StoreError.self) {
            try codec.cursor(text, customerID: Self.customer, filter: InteractionFilter())
        }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("not a token this service issued") == true)
        #expect(throws: StoreError.self) { try codec.cursor(text, for: FollowUpFilter()) }
    }

    /// Every bit of a token is authenticated: flipping any one of its bytes is refused.
    @Test func everyEditedByteIsRejected() throws {
        let token = codec.token(for: Self.cursor, customerID: Self.customer, filter: Self.filter)
        let bytes = try #require(PageTokenCodec.base64URLDecoded(token))
        for index in bytes.indices {
            var tampered = bytes
            tampered[index] ^= 0x01
            let error = #expect(throws: StoreError.self, "byte \(index)") {
                try codec.cursor(PageTokenCodec.base64URLEncoded(tampered), customerID: Self.customer, filter: Self.filter)
            }
            #expect(error?.message.contains("not a token this service issued") == true)
        }
    }

    @Test func cursorsAreNotReadableInTheToken() throws {
        let name = "zoe smith-jones"
        let tokens = [
            codec.token(for: PageCursor(afterID: "cus_01ARZ3NDEK", afterNameKey: name), query: CustomerQuery(namePrefix: "zo")),
            codec.token(for: Self.cursor, customerID: Self.customer, filter: Self.filter),
            codec.token(for: FollowUpCursor(dueAtMillis: 1, interactionID: "int_00000042"), filter: FollowUpFilter(branchID: "BR7")),
        ]
        for token in tokens {
            let decoded = String(decoding: try #require(PageTokenCodec.base64URLDecoded(token)), as: UTF8.self)
            for secret in [name, "zoe", "cus_01ARZ3NDEK", "int_00000042", "BR7", "afterNameKey", "interactionID"] {
                #expect(!decoded.contains(secret), "token \(token) shows \(secret)")
            }
        }
    }

    @Test func followUpTokensCheckTheirFilter() throws {
        let cursor = FollowUpCursor(dueAtMillis: 1_741_564_800_000, interactionID: "int_00000007")
        let token = codec.token(for: cursor, filter: FollowUpFilter(branchID: "BR001"))
        #expect(try codec.cursor(token, for: FollowUpFilter(customerID: "", branchID: "BR001")) == cursor)
        for other in [FollowUpFilter(), FollowUpFilter(branchID: "BR002"), FollowUpFilter(customerID: "cus_1", branchID: "BR001")] {
            let error = #expect(throws: StoreError.self) { try codec.cursor(token, for: other) }
            #expect(error?.message.contains("different filters") == true)
        }
    }
}
