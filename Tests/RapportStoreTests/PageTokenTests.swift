import Crypto
import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct PageTokenTests {
    let codec = PageTokenCodec.ephemeral()

    @Test func roundTripsAndIsURLSafe() throws {
        let query = CustomerQuery(valueTier: .affluent, namePrefix: "Zoë")
        let cursor = PageCursor(afterID: "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", afterNameKey: "zoe / smith + co?")
        let token = codec.token(for: cursor, query: query)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try codec.cursor(token, for: query) == cursor)
        // The same filters, spelled differently after normalisation, fit the token.
        #expect(try codec.cursor(token, for: CustomerQuery(valueTier: .affluent, namePrefix: "  ZOE")) == cursor)
    }

    @Test func aCodecWithTheSameKeyOpensTheTokenAndAnyOtherKeyDoesNot() throws {
        let key = SymmetricKey(size: .bits256)
        let query = CustomerQuery(branchID: "BR001")
        let cursor = PageCursor(afterID: "cus_1")
        let token = PageTokenCodec(key: key).token(for: cursor, query: query)
        #expect(try PageTokenCodec(key: key).cursor(token, for: query) == cursor)
        let error = #expect(throws: StoreError.self) { try PageTokenCodec.ephemeral().cursor(token, for: query) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("not a token this service issued") == true)
    }

    @Test(arguments: [
        CustomerQuery(),
        CustomerQuery(valueTier: .mass, namePrefix: "Zoë"),
        CustomerQuery(valueTier: .affluent, namePrefix: "Zoe S"),
        CustomerQuery(valueTier: .affluent, branchID: "BR001", namePrefix: "Zoe"),
    ])
    func rejectsATokenFromAnotherQuery(_ other: CustomerQuery) throws {
        let token = codec.token(
            for: PageCursor(afterID: "cus_1", afterNameKey: "zoe"), query: CustomerQuery(valueTier: .affluent, namePrefix: "Zoë"))
        let error = #expect(throws: StoreError.self) { try codec.cursor(token, for: other) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("different filters") == true)
    }

    @Test(arguments: [
        "", "not a token!", "abc", "e30", "eyJ2IjoyfQ", String(repeating: "A", count: 5000),
        PageTokenCodec.base64URLEncoded(Data(#"{"v":2,"q":"0","id":"cus_1"}"#.utf8)),
        PageTokenCodec.base64URLEncoded(Data(#"{"v":1,"q":"0","id":""}"#.utf8)),
        // The version byte of the earlier masked, unauthenticated tokens.
        PageTokenCodec.base64URLEncoded(Data([2] + Array(repeating: 7, count: 60))),
    ])
    func rejectsGarbage(_ text: String) throws {
        let error = #expect(throws: StoreError.self) { try codec.cursor(text, for: CustomerQuery()) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("page_token") == true)
    }

    /// The bits of the last character that no byte uses cannot be changed: one spelling a token.
    @Test func rejectsANonCanonicalSpellingOfAGenuineToken() throws {
        let query = CustomerQuery()
        // Try cursors until the token's length leaves spare bits in its last character.
        var token = ""
        for index in 0..<4 {
            token = codec.token(for: PageCursor(afterID: "cus_" + String(repeating: "1", count: index)), query: query)
            if token.count % 4 != 0 { break }
        }
        #expect(token.count % 4 != 0)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let lastCharacter = try #require(token.last)
        let last = try #require(alphabet.firstIndex(of: lastCharacter))
        let variant = String(token.dropLast()) + String(alphabet[last ^ 1])
        #expect(throws: StoreError.self) { try codec.cursor(variant, for: query) }
    }

    @Test func listRejectsACursorWithoutANamePositionForANameQuery() async throws {
        try await withStore { store in
            let error = await storeError {
                _ = try await store.list(CustomerQuery(namePrefix: "a"), pageSize: 10, after: PageCursor(afterID: "cus_1"))
            }
            #expect(error?.kind == .invalidPageToken)
        }
    }
}
