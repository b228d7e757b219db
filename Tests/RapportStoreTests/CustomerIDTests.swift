import Foundation
import Testing
@testable import RapportStore

@Suite struct CustomerIDTests {
    static let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test func idsAreWellFormedAndStrictlyIncreasingWithinAMillisecond() {
        let now = Date()
        let ids = (0..<2000).map { _ in SQLiteCustomerStore.newCustomerID(now: now) }
        for id in ids {
            #expect(id.hasPrefix("cus_"))
            #expect(id.count == 30)
            #expect(id.dropFirst(4).allSatisfy(Self.alphabet.contains))
        }
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func idsSortByTimeAndSurviveTheClockSteppingBack() {
        let early = SQLiteCustomerStore.newCustomerID(now: Date(timeIntervalSince1970: 1_000_000_000))
        let late = SQLiteCustomerStore.newCustomerID(now: Date(timeIntervalSinceNow: 3600))
        let back = SQLiteCustomerStore.newCustomerID(now: Date(timeIntervalSince1970: 1_000_000_000))
        #expect(early < late)
        #expect(late < back)
    }

    @Test func encodesTheTimestampInTheFirstTenCharacters() {
        let generator = SortableIDGenerator()
        let id = generator.next(now: Date(timeIntervalSince1970: 1_469_918_176.385))
        // ULID spec example: 1469918176385 ms encodes as 01ARYZ6S41.
        #expect(id.prefix(10) == "01ARYZ6S41")
        #expect(generator.next(now: .distantPast).prefix(10) == "01ARYZ6S41")
    }
}
