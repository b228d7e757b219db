import Foundation
import RapportDomain
import RapportProto
import RapportStore
import SwiftProtobuf
import Testing

@testable import RapportServices

@Suite("List and export filters")
struct InteractionFilterMappingTests {
    private let hour = Google_Protobuf_Timestamp(seconds: 3600, nanos: 0)
    private let day = Google_Protobuf_Timestamp(seconds: 86_400, nanos: 0)

    private func failure(_ build: () throws -> InteractionFilter) -> ValidationFailure? {
        do {
            _ = try build()
            return nil
        } catch {
            return error as? ValidationFailure
        }
    }

    @Test func unsetFiltersFilterNothing() throws {
        #expect(try Rapport_V1_ListInteractionsRequest().filter() == InteractionFilter())
        #expect(try Rapport_V1_ExportInteractionsRequest().filter() == InteractionFilter())
    }

    @Test func setFiltersMapToTheDomain() throws {
        let request = Rapport_V1_ExportInteractionsRequest.with {
            $0.occurredFrom = hour
            $0.occurredBefore = day
            $0.channels = [.sms, .branch, .sms]
            $0.kinds = [.complaint]
        }
        let filter = try request.filter()
        #expect(filter == InteractionFilter(
            occurredFrom: Date(timeIntervalSince1970: 3600), occurredBefore: Date(timeIntervalSince1970: 86_400),
            channels: [.sms, .branch], kinds: [.complaint]))
    }

    @Test func unspecifiedOrUnknownValuesAreRefusedByPosition() {
        #expect(failure { try Rapport_V1_ListInteractionsRequest.with { $0.channels = [.sms, .unspecified] }.filter() }?.field
            == "channels[1]")
        #expect(failure { try Rapport_V1_ListInteractionsRequest.with { $0.kinds = [.UNRECOGNIZED(40)] }.filter() }
            == ValidationFailure(field: "kinds[0]", reason: "unknown value 40"))
    }

    @Test func boundsMustBeOrderedAndValid() {
        for (from, before) in [(day, hour), (day, day)] {
            let found = failure {
                try Rapport_V1_ListInteractionsRequest.with {
                    $0.occurredFrom = from
                    $0.occurredBefore = before
                }.filter()
            }
            #expect(found?.field == "occurred_before")
        }
        let invalid = Google_Protobuf_Timestamp(seconds: 300_000_000_000, nanos: 0)
        #expect(failure { try Rapport_V1_ListInteractionsRequest.with { $0.occurredFrom = invalid }.filter() }?.field == "occurred_from")
    }
}
