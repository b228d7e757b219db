import Foundation
import RapportDomain
import RapportStore

extension Customer {
    /// A customer as the daemon first stores it: a fresh id, segments computed now, the store's etag to come.
    ///
    /// - Parameter customerSince: when the relationship began, for the lifecycle stage (now, unless
    ///   the customer is imported with a history).
    public static func new(
        profile: CustomerProfile, externalRef: String?, customerSince: Date, now: Date, segmenter: Segmenter
    ) -> Customer {
        Customer(
            id: SQLiteCustomerStore.newCustomerID(now: now),
            externalRef: externalRef,
            profile: profile,
            segmentation: segmenter.segment(profile, customerSince: customerSince, activity: nil, today: CalendarDate(utcDayOf: now)),
            createdAt: now,
            updatedAt: now,
            etag: ""
        )
    }
}
