import Testing
import RapportDomain

@Suite struct SegmentDeltaTests {
    private static let mass1980 = SegmentCell(valueTier: .mass, birthCohort: 1980)
    private static let affluent1980 = SegmentCell(valueTier: .affluent, birthCohort: 1980)

    @Test func withinACellOnlyTheChangedProductsCount() {
        var delta = SegmentDelta()
        delta.add(from: (Self.mass1980, ["A", "B"]), to: (Self.mass1980, ["A", "C"]))
        #expect(delta.customers.isEmpty)
        #expect(delta.holders == [Self.mass1980: ["B": -1, "C": 1]])
    }

    @Test func aMoveTakesTheCustomerAndTheirProductsAlong() {
        var delta = SegmentDelta()
        delta.add(from: (Self.mass1980, ["A"]), to: (Self.affluent1980, ["A"]))
        #expect(delta.customers == [Self.mass1980: -1, Self.affluent1980: 1])
        #expect(delta.holders == [Self.mass1980: ["A": -1], Self.affluent1980: ["A": 1]])
    }

    @Test func countsThatCancelLeaveNothing() {
        var delta = SegmentDelta()
        delta.add(from: nil, to: (Self.mass1980, ["A"]))
        delta.add(from: (Self.mass1980, ["A"]), to: nil)
        delta.add(from: (Self.mass1980, []), to: (Self.mass1980, []))
        #expect(delta.isEmpty)
        #expect(delta == SegmentDelta())
    }

    /// An import's fast path counts the same as a create from `HeldProducts`.
    @Test func aNewCustomerFromHoldingsCountsAsHeldProducts() {
        let holdings = [
            ProductHolding(productCode: "A"), ProductHolding(productCode: "A"),
            ProductHolding(productCode: "B", closedOn: CalendarDate(year: 2024, month: 1, day: 1)),
            ProductHolding(productCode: "C"),
        ]
        var fast = SegmentDelta()
        fast.add(newCustomerIn: Self.mass1980, holdings: holdings)
        var slow = SegmentDelta()
        slow.add(from: nil, to: (Self.mass1980, HeldProducts(holdings).codes))
        #expect(fast == slow)
        #expect(HeldProducts.codes(of: holdings) == ["A", "C"])
        #expect(fast.holders == [Self.mass1980: ["A": 1, "C": 1]])
    }
}
