import Testing
import RapportDomain

@Suite struct HeldProductsTests {
    private static func day(_ day: Int) -> CalendarDate { CalendarDate(year: 2024, month: 1, day: day) }

    @Test func countsOpenHoldingsOncePerProductWithPairsAndOrder() {
        let held = HeldProducts([
            ProductHolding(productCode: "CARD", openedOn: Self.day(3)),
            ProductHolding(productCode: "CURRENT", openedOn: Self.day(1)),
            ProductHolding(productCode: "CARD", openedOn: Self.day(5)),
            ProductHolding(productCode: "LOAN", openedOn: Self.day(2), closedOn: Self.day(4)),
            ProductHolding(productCode: "SAVINGS"),
        ])
        #expect(held.codes == ["CARD", "CURRENT", "SAVINGS"])
        #expect(held.pairs == [.init("CARD", "CURRENT"), .init("CARD", "SAVINGS"), .init("CURRENT", "SAVINGS")])
        // The second CARD counts from the first's opening; SAVINGS has no date, so no order.
        #expect(held.sequences == [.init("CURRENT", "CARD")])
    }

    @Test func holdingsOpenedTheSameDayHaveNoOrder() {
        let held = HeldProducts([
            ProductHolding(productCode: "A", openedOn: Self.day(1)),
            ProductHolding(productCode: "B", openedOn: Self.day(1)),
        ])
        #expect(held.sequences.isEmpty)
        #expect(held.pairs == [.init("A", "B")])
    }

    @Test func deltaHoldsOnlyTheChangedCounts() {
        let old = HeldProducts([
            ProductHolding(productCode: "A", openedOn: Self.day(1)),
            ProductHolding(productCode: "B", openedOn: Self.day(2)),
        ])
        let new = HeldProducts([
            ProductHolding(productCode: "A", openedOn: Self.day(1)),
            ProductHolding(productCode: "C", openedOn: Self.day(3)),
        ])
        var delta = CoholdingDelta()
        delta.add(from: old, to: new)
        #expect(delta.holders == ["B": -1, "C": 1])
        #expect(delta.pairs == [.init("A", "B"): -1, .init("A", "C"): 1])
        #expect(delta.sequences == [.init("A", "B"): -1, .init("A", "C"): 1])
        delta.add(from: new, to: old)
        #expect(delta.isEmpty)
    }

    @Test func createAndDeleteAreChangesFromAndToNothing() {
        let held = HeldProducts([ProductHolding(productCode: "A"), ProductHolding(productCode: "B")])
        var delta = CoholdingDelta()
        delta.add(from: nil, to: held)
        #expect(delta.holders == ["A": 1, "B": 1])
        #expect(delta.pairs == [.init("A", "B"): 1])
        delta.add(from: held, to: nil)
        #expect(delta.isEmpty)
    }
}

@Suite struct NewHoldersTallyTests {
    private static func day(_ day: Int) -> CalendarDate { CalendarDate(year: 2024, month: 1, day: day) }

    /// The tally counts a batch of new customers exactly as one diff per customer would.
    @Test func countsLikeADiffPerCustomer() {
        let customers: [[ProductHolding]] = [
            [
                ProductHolding(productCode: "CARD", openedOn: Self.day(3)),
                ProductHolding(productCode: "CURRENT", openedOn: Self.day(1)),
                ProductHolding(productCode: "CARD", openedOn: Self.day(2)),
                ProductHolding(productCode: "LOAN", openedOn: Self.day(2), closedOn: Self.day(4)),
                ProductHolding(productCode: "SAVINGS"),
                ProductHolding(productCode: "SAVINGS", openedOn: Self.day(9)),
            ],
            [ProductHolding(productCode: "SAVINGS", openedOn: Self.day(1)), ProductHolding(productCode: "CARD", openedOn: Self.day(1))],
            [ProductHolding(productCode: "LOAN", openedOn: Self.day(5)), ProductHolding(productCode: "CARD", openedOn: Self.day(4))],
            [],
        ]
        var tally = NewHoldersTally()
        var expected = CoholdingDelta()
        for holdings in customers {
            tally.add(holdings)
            expected.add(from: nil, to: HeldProducts(holdings))
        }
        #expect(tally.delta == expected)
        #expect(expected.sequences[ProductPair("CARD", "SAVINGS")] == 1)
    }
}
