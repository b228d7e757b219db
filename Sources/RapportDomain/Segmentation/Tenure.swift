import Foundation

/// How long the customer has banked with us: from the earliest product opened, because products
/// migrated from core banking predate the customer's record here; from the record when no product says.
struct Tenure {
    let start: CalendarDate
    /// Where `start` came from, for the reasons: "since the first product opened on 2024-03-01".
    let origin: String
    let days: Int
    let years: Int

    init(products: [ProductHolding], customerSince: Date, today: CalendarDate) {
        if let firstOpened = products.compactMap(\.openedOn).min() {
            start = firstOpened
            origin = "since the first product opened on \(firstOpened.isoString)"
        } else {
            start = CalendarDate(utcDayOf: customerSince)
            origin = "since the customer record was created on \(start.isoString)"
        }
        // A start after today (a clock skew, or a date not yet validated) counts as a new customer.
        days = max(0, today.days(since: start))
        years = max(0, today.fullYears(since: start))
    }
}
