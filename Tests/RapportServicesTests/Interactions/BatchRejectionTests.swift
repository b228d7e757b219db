import Foundation
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

@testable import RapportServices

@Suite("Batch rejection: status, message and the rapport-batch-errors-bin trailer")
struct BatchRejectionTests {
    private func decode(_ error: RPCError?) throws -> [Rapport_V1_BatchItemError] {
        try ServiceFixtures.batchErrors(error)
    }

    @Test func noFailureIsNoError() {
        let rejection = BatchRejection(total: 3)
        #expect(rejection.isEmpty)
        #expect(rejection.error == nil)
    }

    @Test func theFirstItemByIndexDecidesTheCodeAndLeadsTheMessage() throws {
        var rejection = BatchRejection(total: 5)
        rejection.add(index: 4, RPCError(code: .failedPrecondition, message: "the customer has not consented to marketing"))
        rejection.add(index: 1, RPCError(code: .notFound, message: "no customer with id cus_9"))
        rejection.add(index: 3, RPCError(code: .invalidArgument, message: "items[3].interaction.survey.nps_score: must be 0–10 (got 11)"))
        let error = try #require(rejection.error)
        #expect(error.code == .notFound)
        #expect(error.message == "3 of 5 items failed; nothing was recorded; first: items[1]: no customer with id cus_9")
        let items = try decode(error)
        #expect(items.map(\.index) == [1, 3, 4])
        #expect(items.map(\.code) == [StatusCode.notFound, .invalidArgument, .failedPrecondition].map(\.rawValue))
        #expect(items[1].message == "items[3].interaction.survey.nps_score: must be 0–10 (got 11)")
    }

    @Test func aMessageAlreadyNamingTheItemIsNotPrefixedTwice() throws {
        var rejection = BatchRejection(total: 1)
        rejection.add(index: 0, RPCError(code: .invalidArgument, message: "items[0].interaction.kind: is required"))
        #expect(rejection.error?.message == "1 of 1 items failed; nothing was recorded; first: items[0].interaction.kind: is required")
    }

    @Test func storeFieldPathsAreRootedAtTheItem() throws {
        var rejection = BatchRejection(total: 3)
        rejection.add(index: 2, RPCError(
            code: .invalidArgument, message: "interaction.follow_up_of: int_x is not an interaction of customer cus_1"))
        let items = try decode(rejection.error)
        #expect(items.first?.message == "items[2].interaction.follow_up_of: int_x is not an interaction of customer cus_1")
    }

    @Test func longMessagesAreCutSoTheTrailerStaysBounded() throws {
        var rejection = BatchRejection(total: 1)
        rejection.add(index: 0, RPCError(code: .notFound, message: "no customer with id " + String(repeating: "x", count: 5000)))
        let message = try #require(try decode(rejection.error).first?.message)
        #expect(message.count == BatchRejection.itemMessageLimit)
        #expect(message.hasSuffix("…"))
    }

    @Test func theTrailerIsStandardPaddedBase64() throws {
        var rejection = BatchRejection(total: 1)
        rejection.add(index: 0, RPCError(code: .invalidArgument, message: "?>?>"))
        let text = try #require(rejection.error?.trailers[BatchRejection.trailerKey])
        #expect(text.count % 4 == 0)
        #expect(!text.contains("-") && !text.contains("_"))
    }
}
