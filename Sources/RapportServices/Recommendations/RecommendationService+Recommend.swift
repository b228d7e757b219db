import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportStore
import RapportWire

extension RecommendationService {
    /// Interactions of the customer read per request, at most: far more than a year of inquiries,
    /// complaints and offers for any real customer, and a bound on the request's cost.
    static let historyLimit = 1000
    /// How far back an answer for a past day looks for complaints and detractor responses that
    /// were open then (answered only later); items open now come from the follow-up queue however old.
    static let openCaseLookbackDays = 90

    public func getRecommendations(
        _ request: Rapport_V1_GetRecommendationsRequest, context: CallContext
    ) async throws -> Rapport_V1_GetRecommendationsResponse {
        let today = CalendarDate(utcDayOf: now())
        let query = try invalidArgument { () throws(ValidationFailure) in try Self.query(request, today: today) }
        // Small requests start on the connection's event loop (ServerConnection.inlineStartLimit) and
        // run there until they first suspend. Every read below is synchronous or cached, so without
        // this the whole ranking (~0.5 ms of CPU) would hold the event loop and serialize the
        // connection's calls; yielding moves the rest onto the cooperative pool.
        await Task.yield()
        let catalog = try await errors.map { try await store.activeProducts() }
        // Inquiries matter for the intent window, complaints and their follow-ups for the cases open
        // on the day; declines for as long as the longest cooldown.
        let lookback = max(recommender.policy.intentWindowDays, Self.openCaseLookbackDays)
        let declines = min(3650, catalog.map(\.declineCooldownDays).max() ?? 0)
        let customerID = request.customerID
        let evidence = try await errors.map {
            try await store.recommendationContext(
                customerID: customerID, asOf: query.asOf, lookbackDays: lookback, declineLookbackDays: declines,
                limit: Self.historyLimit)
        }
        let statistics = try await errors.map {
            try await store.recommendationStatistics(maxAge: .milliseconds(recommender.policy.statisticsMaxAgeMilliseconds))
        }
        let list = recommender.recommend(query, evidence: evidence, catalog: catalog, statistics: statistics)
        return .with {
            $0.recommendations = list.items.map(\.wire)
            $0.personalised = list.personalised
            $0.notices = list.notices.map(\.wire)
            $0.asOf = query.asOf.wire
        }
    }

    /// The request as a domain query; INVALID_ARGUMENT naming the field for anything out of range.
    static func query(_ request: Rapport_V1_GetRecommendationsRequest, today: CalendarDate) throws(ValidationFailure) -> RecommendationQuery {
        if request.customerID.isEmpty { throw ValidationFailure(field: "customer_id", reason: "is required") }
        let channel = try request.channel.required(Channel.self, field: "channel", reason: "is required: where the customer is being served")
        let range = RecommendationQuery.maxResultsRange
        guard range.contains(Int(request.maxResults)) else {
            throw ValidationFailure(
                field: "max_results", reason: "must be \(range.lowerBound)–\(range.upperBound) (got \(request.maxResults))")
        }
        let category = try request.category.domain(ProductCategory.self, field: "category")
        var asOf = today
        if request.hasAsOf {
            asOf = try request.asOf.calendarDate(field: "as_of")
            guard asOf <= today else {
                throw ValidationFailure(field: "as_of", reason: "\(asOf.isoString) is in the future; today (UTC) is \(today.isoString)")
            }
        }
        return RecommendationQuery(channel: channel, maxResults: Int(request.maxResults), category: category, asOf: asOf)
    }
}

extension RecommendedItem {
    var wire: Rapport_V1_Recommendation {
        .with {
            switch target {
            case .product(let product):
                $0.productCode = product.code
                $0.category = product.category.wire()
            case .action(let action, let followUp):
                $0.action = action.rawValue
                if let followUp {
                    $0.followUpOf = followUp.interaction.id
                    $0.dueTime = .millisecondPrecise(followUp.dueAt)
                }
            }
            $0.title = title
            $0.kind = kind.wire
            $0.score = score
            $0.reasons = reasons.map(\.wire)
        }
    }
}

extension RecommendationKind {
    var wire: Rapport_V1_RecommendationKind {
        switch self {
        case .crossSell: .crossSell
        case .upSell: .upSell
        case .retention: .retention
        case .service: .service
        }
    }
}

extension RecommendationReason {
    var wire: Rapport_V1_RecommendationReason {
        .with {
            $0.code = code.rawValue
            $0.sentence = sentence
        }
    }
}
