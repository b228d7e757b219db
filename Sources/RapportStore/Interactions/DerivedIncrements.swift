import GRDB
import RapportDomain

/// What logged interactions add to `customer_activity`, `nps_daily` and `offer_outcomes`, summed in memory first so
/// that a batch or an import upserts each (customer, day) and each NPS group once, not per row.
struct DerivedIncrements {
    private struct ActivityKey: Hashable, Comparable {
        var customerID: String
        var day: Int64

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.customerID, lhs.day) < (rhs.customerID, rhs.day) }
    }

    private struct ActivityCounts {
        var contacts = 0
        var complaints = 0
    }

    /// The primary key of `nps_daily`.
    private struct NpsKey: Hashable, Comparable {
        var day: Int64
        var channel: String
        var branchID: String
        var valueTier: String
        var lifecycleStage: String

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.day, lhs.channel, lhs.branchID, lhs.valueTier, lhs.lifecycleStage)
                < (rhs.day, rhs.channel, rhs.branchID, rhs.valueTier, rhs.lifecycleStage)
        }
    }

    private var activity: [ActivityKey: ActivityCounts] = [:]
    private var nps: [NpsKey: NpsTally] = [:]
    private var offers = OfferIncrements()

    /// Counts `interaction`: as activity on its UTC day when it counts as activity, and as a
    /// survey response under the customer's segments when it answered (`snapshot`), and as an
    /// offer outcome for its product, in the total and under each of `offerReasons`.
    mutating func add(
        _ interaction: Interaction, snapshot: InteractionRecord.SegmentSnapshot, offerReasons: [String] = []
    ) throws {
        let day = try UTCDay.number(of: interaction.occurredAt)
        // Every offer kind counts, with or without reasons, so the table stays a function of the
        // log (the migration's backfill counts the stored offers the same way).
        if let outcome = interaction.kind.offerOutcome, !interaction.productCode.isEmpty {
            offers.add(outcome, day: day, productCode: interaction.productCode, reasons: offerReasons)
        }
        if interaction.countsAsActivity {
            let key = ActivityKey(customerID: interaction.customerID, day: day)
            activity[key, default: ActivityCounts()].contacts += 1
            if interaction.kind == .complaint { activity[key, default: ActivityCounts()].complaints += 1 }
        }
        if interaction.kind == .surveyResponse, let category = interaction.survey?.category {
            let key = NpsKey(
                day: day, channel: interaction.channel.rawValue, branchID: snapshot.branchID,
                valueTier: snapshot.valueTier.rawValue, lifecycleStage: snapshot.lifecycleStage.rawValue)
            nps[key, default: NpsTally()].add(category)
        }
    }

    /// Adds another set of increments to this one.
    mutating func merge(_ other: DerivedIncrements) {
        activity.merge(other.activity) { ActivityCounts(contacts: $0.contacts + $1.contacts, complaints: $0.complaints + $1.complaints) }
        nps.merge(other.nps) { $0 + $1 }
        offers.merge(other.offers)
    }

    /// Upserts every increment, in primary-key order so that a large batch walks each b-tree once.
    func apply(_ db: Database) throws {
        if !activity.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO customer_activity (customer_id, day, contacts, complaints) VALUES (?, ?, ?, ?)
                ON CONFLICT (customer_id, day) DO UPDATE SET
                    contacts = contacts + excluded.contacts, complaints = complaints + excluded.complaints
                """)
            for (key, counts) in activity.sorted(by: { $0.key < $1.key }) {
                try statement.execute(arguments: [key.customerID, key.day, counts.contacts, counts.complaints])
            }
        }
        if !nps.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO nps_daily (day, channel, branch_id, value_tier, lifecycle_stage, promoters, passives, detractors)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (day, channel, branch_id, value_tier, lifecycle_stage) DO UPDATE SET
                    promoters = promoters + excluded.promoters, passives = passives + excluded.passives,
                    detractors = detractors + excluded.detractors
                """)
            for (key, tally) in nps.sorted(by: { $0.key < $1.key }) {
                try statement.execute(arguments: [
                    key.day, key.channel, key.branchID, key.valueTier, key.lifecycleStage,
                    tally.promoters, tally.passives, tally.detractors,
                ])
            }
        }
        try offers.apply(db)
    }
}
