import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct PageTokenTests {
    @Test func roundTripsAndIsURLSafe() throws {
        let query = CustomerQuery(valueTier: .affluent, namePrefix: "Zoë")
        let cursor = PageCursor(afterID: "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", afterNameKey: "zoe / smith + co?")
        let token = PageToken(cursor: cursor, query: query)
        #expect(token.rawValue.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try token.cursor(for: query) == cursor)
        // The same filters, spelled differently after normalisation, fit the token.
        #expect(try token.cursor(for: CustomerQuery(valueTier: .affluent, namePrefix: "  ZOE")) == cursor)
    }

    @Test(arguments: [
        CustomerQuery(),
        CustomerQuery(valueTier: .mass, namePrefix: "Zoë"),
        CustomerQuery(valueTier: .affluent, namePrefix: "Zoe S"),
        CustomerQuery(valueTier: .affluent, branchID: "BR001", namePrefix: "Zoe"),
    ])
    func rejectsATokenFromAnotherQuery(_ other: CustomerQuery) throws {
        let token = PageToken(
            cursor: PageCursor(afterID: "cus_1", afterNameKey: "zoe"), query: CustomerQuery(valueTier: .affluent, namePrefix: "Zoë"))
        let error = #expect(throws: StoreError.self) { try token.cursor(for: other) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("different filters") == true)
    }

    @Test(arguments: [
        "", "not a token!", "abc", "e30", "eyJ2IjoyfQ", String(repeating: "A", count: 5000),
        PageToken.base64URLEncoded(Data(#"{"v":2,"q":"0","id":"cus_1"}"#.utf8)),
        PageToken.base64URLEncoded(Data(#"{"v":1,"q":"0","id":""}"#.utf8)),
    ])
    func rejectsGarbage(_ text: String) throws {
        let error = #expect(throws: StoreError.self) { try PageToken(rawValue: text).cursor(for: CustomerQuery()) }
        #expect(error?.kind == .invalidPageToken)
        #expect(error?.message.contains("page_token") == true)
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
