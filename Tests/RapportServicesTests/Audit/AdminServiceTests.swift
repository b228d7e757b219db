import Foundation
import RapportAccess
import RapportProto
import RapportServer
@testable import RapportServices
import RapportStore
import RapportWire
import SwiftProtobuf
import Testing

@Suite("AdminService: filters are validated, pages bounded")
struct AdminServiceTests {
    static let list = AuditWorld.context(Rapport_V1_AdminService.Method.listAuditEvents, AuditWorld.manager)

    static let invalidFilters: [(String, Rapport_V1_AuditFilter)] = [
        ("filter.outcome", .with { $0.outcome = "MAYBE" }),
        ("filter.principal", .with { $0.principal = String(repeating: "p", count: 257) }),
        ("filter.customer_id", .with { $0.customerID = String(repeating: "c", count: 257) }),
        ("filter.method", .with { $0.method = String(repeating: "m", count: 257) }),
        ("filter.time_from", .with { $0.timeFrom = Google_Protobuf_Timestamp(seconds: Int64.min, nanos: 0) }),
        ("filter.time_before", .with { $0.timeBefore = Google_Protobuf_Timestamp(seconds: 0, nanos: -1) }),
        ("filter.time_before", .with {
            $0.timeFrom = Google_Protobuf_Timestamp(seconds: 100)
            $0.timeBefore = Google_Protobuf_Timestamp(seconds: 100)
        }),
    ]

    @Test(arguments: 0..<invalidFilters.count)
    func invalidFiltersAreInvalidArgumentNamingTheField(index: Int) async throws {
        let (field, filter) = Self.invalidFilters[index]
        try await AuditWorld.run { world in
            let error = await #expect(throws: RPCError.self) {
                _ = try await world.admin.listAuditEvents(.with { $0.filter = filter }, context: Self.list)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field) == true, "\(String(describing: error))")
        }
    }

    @Test func badPageSizesTokensAndExportCursorsAreRefused() async throws {
        try await AuditWorld.run { world in
            let negative = await #expect(throws: RPCError.self) {
                _ = try await world.admin.listAuditEvents(.with { $0.pageSize = -1 }, context: Self.list)
            }
            #expect(negative?.code == .invalidArgument)
            let forged = await #expect(throws: RPCError.self) {
                _ = try await world.admin.listAuditEvents(.with { $0.pageToken = "AAAA" }, context: Self.list)
            }
            #expect(forged?.code == .invalidArgument)
        }
    }

    @Test func listPagesThroughEveryEventAndVerifyReportsTheHead() async throws {
        try await AuditWorld.run { world in
            try await world.store.appendAuditEvents((1...12).map { n in
                AuditEntry(time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n)), principal: "p", method: "/m",
                           customerIDs: ["cus_\(n % 2)"], outcome: "OK", requestID: "r\(n)", peer: "")
            })
            var ids: [Int64] = []
            var token = ""
            repeat {
                let page = try await world.admin.listAuditEvents(.with {
                    $0.pageSize = 5
                    $0.pageToken = token
                    $0.filter.customerID = "cus_1"
                }, context: Self.list)
                ids += page.events.map(\.id)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(ids == [1, 3, 5, 7, 9, 11])
            let verdict = try await world.admin.verifyAuditChain(.init(), context: Self.list)
            #expect(verdict.intact)
            #expect(verdict.events == 12)
            #expect(verdict.headHash.count == 32)
        }
    }

    @Test func listPagesStayWithinTheMessageBudget() {
        let wide = (0..<1000).map { "cus_\($0)_0123456789012345678901234" }
        let events = (1...100).map {
            AuditEvent(id: Int64($0), entry: AuditEntry(time: Date(), principal: "p", method: "/m", customerIDs: wide, outcome: "OK",
                                                        requestID: "r", peer: ""), previousHash: Data(), hash: Data())
        }
        let kept = AdminService.prefixWithinMessageLimit(events)
        #expect(!kept.isEmpty && kept.count < events.count)
        #expect(kept.reduce(0) { $0 + $1.estimatedWireBytes } <= AdminService.maximumMessageBytes)
    }
}
