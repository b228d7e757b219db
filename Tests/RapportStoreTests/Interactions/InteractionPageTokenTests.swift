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

    @Test func roundTripsIgnoringTheOrderOfSets() throws {
        let token = PageToken(cursor: Self.cursor, customerID: Self.customer, filter: Self.filter)
        #expect(token.rawValue.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        var reordered = InteractionFilter(occurredFrom: Self.filter.occurredFrom, occurredBefore: Self.filter.occurredBefore)
        reordered.kinds = [.complaint]
        reordered.channels = [.branch, .phone]
        #expect(try token.cursor(customerID: Self.customer, filter: reordered) == Self.cursor)
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
        let token = PageToken(cursor: Self.cursor, customerID: Self.customer, filter: Self.filter)
        let error = #expect(throws: StoreError.self) { try token.cursor(customerID: customer, filter: filter) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("different filters") == true)
        #expect(error?.message.contains("omit page_token") == true)
    }

    @Test func tokensOfOneListDoNotFitAnother() throws {
        let customerToken = PageToken(cursor: PageCursor(afterID: "cus_1"), query: CustomerQuery())
        let followUpToken = PageToken(cursor: FollowUpCursor(dueAtMillis: 5, interactionID: "int_1"), filter: FollowUpFilter())
        let interactionToken = PageToken(cursor: Self.cursor, customerID: Self.customer, filter: InteractionFilter())
        for token in [customerToken, followUpToken] {
            let error = #expect(throws: StoreError.self) { try token.cursor(customerID: Self.customer, filter: InteractionFilter()) }
            #expect(error?.kind == .invalidPageToken)
        }
        #expect(throws: StoreError.self) { try interactionToken.cursor(for: FollowUpFilter()) }
        #expect(throws: StoreError.self) { try interactionToken.cursor(for: CustomerQuery()) }
    }

    @Test(arguments: [
        "", "not a token!", "abc", "e30", "eyJ2IjoyfQ", String(repeating: "A", count: 5000), "AgAAAAAAAAAAAAAA",
        PageToken.base64URLEncoded(Data(#"{"v":1,"q":"0","id":"cus_1"}"#.utf8)),
    ])
    func rejectsGarbage(_ text: String) throws {
        let error = #expect(throws: StoreError.self) {
            try PageToken(rawValue: text).cursor(customerID: Self.customer, filter: InteractionFilter())
        }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("not a token this service issued") == true)
        #expect(throws: StoreError.self) { try PageToken(rawValue: text).cursor(for: FollowUpFilter()) }
    }

    /// Tokens are not signed (a forged cursor only moves within the caller's own list), but an
    /// edited filter hash does not pass.
    @Test func anEditedHashIsRejected() throws {
        let token = PageToken(cursor: Self.cursor, customerID: Self.customer, filter: Self.filter)
        var bytes = try #require(PageToken.base64URLDecoded(token.rawValue))
        bytes[3] ^= 0x01
        let tampered = PageToken(rawValue: PageToken.base64URLEncoded(bytes))
        #expect(throws: StoreError.self) { try tampered.cursor(customerID: Self.customer, filter: Self.filter) }
    }

    @Test func cursorsAreNotReadableInTheToken() throws {
        let name = "zoe smith-jones"
        let tokens = [
            PageToken(cursor: PageCursor(afterID: "cus_01ARZ3NDEK", afterNameKey: name), query: CustomerQuery(namePrefix: "zo")),
            PageToken(cursor: Self.cursor, customerID: Self.customer, filter: Self.filter),
            PageToken(cursor: FollowUpCursor(dueAtMillis: 1, interactionID: "int_00000042"), filter: FollowUpFilter(branchID: "BR7")),
        ]
        for token in tokens {
            let decoded = String(decoding: try #require(PageToken.base64URLDecoded(token.rawValue)), as: UTF8.self)
            for secret in [name, "zoe", "cus_01ARZ3NDEK", "int_00000042", "BR7", "afterNameKey", "interactionID", "{"] {
                #expect(!decoded.contains(secret), "token \(token.rawValue) shows \(secret)")
            }
        }
    }

    @Test func followUpTokensCheckTheirFilter() throws {
        let cursor = FollowUpCursor(dueAtMillis: 1_741_564_800_000, interactionID: "int_00000007")
        let token = PageToken(cursor: cursor, filter: FollowUpFilter(branchID: "BR001"))
        #expect(try token.cursor(for: FollowUpFilter(customerID: "", branchID: "BR001")) == cursor)
        for other in [FollowUpFilter(), FollowUpFilter(branchID: "BR002"), FollowUpFilter(customerID: "cus_1", branchID: "BR001")] {
            let error = #expect(throws: StoreError.self) { try token.cursor(for: other) }
            #expect(error?.message.contains("different filters") == true)
        }
    }
}
