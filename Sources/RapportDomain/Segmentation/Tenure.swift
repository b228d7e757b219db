import Foundation

/// How long the customer has banked with us, from the earliest evidence of the relationship:
/// the first product opened or the first contact in the interaction log, whichever came first
/// (imported history can predate both the products here and the customer's record). The
/// customer record counts only when no product has an opening date: products migrated from core
/// banking predate the record, and a record made before any product (a prospect) does not
/// start a banking relationship. On equal days the product (or the record) names the origin, not
/// the contact, so reasons read as they did before the interaction log.
struct Tenure {
    let start: CalendarDate
    /// Where `start` came from, for the reasons: "since the first product opened on 2024-03-01".
    let origin: String
    let days: Int
    let years: Int

    init(products: [ProductHolding], customerSince: Date, firstContact: CalendarDate?, today: CalendarDate) {
        let established: (CalendarDate, String)
        if let firstOpened = products.compactMap(\.openedOn).min() {
            established = (firstOpened, "since the first product opened on \(firstOpened.isoString)")
        } else {
            let created = CalendarDate(utcDayOf: customerSince)
            established = (created, "since the customer record was created on \(created.isoString)")
        }
        if let firstContact, firstContact < established.0 {
            (start, origin) = (firstContact, "since the first contact on \(firstContact.isoString)")
        } else {
            (start, origin) = established
        }
        // A start after today (a clock skew, or a date not yet validated) counts as a new customer.
        days = max(0, today.days(since: start))
        years = max(0, today.fullYears(since: start))
    }
}
