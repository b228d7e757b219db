import Foundation
import RapportDomain
import RapportStore
import Synchronization

/// An interaction store that records what it was asked and answers as a test scripts it:
/// logs echo their entries, reads return the scripted values.
final class ScriptedInteractionStore: InteractionStore {
    let pageTokens = PageTokenCodec.ephemeral()
    /// What the store was asked, in order.
    struct Calls {
        var logged: [NewInteraction] = []
        var contexts: [LogContext] = []
        var exportAfterIDs: [String?] = []
        var listPageSizes: [Int] = []
        var overviewRecent: [Int] = []
        var overviewToday: [CalendarDate] = []
    }

    /// What the store answers.
    struct Script {
        var logError: StoreError?
        var page = InteractionPage(interactions: [], next: nil)
        /// Rows an export matches; chunks are cut from them by id.
        var exportRows: [Interaction] = []
        var report = NpsReport(overall: NpsTally(), groups: [])
        var followUps = FollowUpPage(items: [], next: nil)
        var overview = ActivityOverview(
            recentInteractions: [], openFollowUps: [], latestSurvey: nil,
            activity: ActivitySummary(contactsLast90Days: 0, contactsPrevious90Days: 0, complaintsLast90Days: 0))
    }

    private let state: Mutex<(calls: Calls, script: Script)>

    init(_ script: Script = Script()) {
        state = Mutex((Calls(), script))
    }

    var calls: Calls { state.withLock { $0.calls } }

    private var script: Script { state.withLock { $0.script } }

    func log(_ entry: NewInteraction, context: LogContext) async throws -> LogOutcome {
        try await logBatch([entry], context: context)[0]
    }

    func logBatch(_ entries: [NewInteraction], context: LogContext) async throws -> [LogOutcome] {
        try state.withLock { state in
            state.calls.logged += entries
            state.calls.contexts.append(context)
            if let error = state.script.logError { throw error }
        }
        // Like the real store, the store assigns ids.
        return entries.enumerated().map { index, entry in
            var interaction = entry.interaction
            interaction.id = "int_scripted_\(index)"
            return .recorded(interaction)
        }
    }

    func interactions(
        customerID: String, filter: InteractionFilter, pageSize: Int, after cursor: InteractionCursor?
    ) async throws -> InteractionPage {
        state.withLock { $0.calls.listPageSizes.append(pageSize) }
        return script.page
    }

    func exportChunk(filter: InteractionFilter, afterID: String?, limit: Int) async throws -> [Interaction] {
        state.withLock { $0.calls.exportAfterIDs.append(afterID) }
        return Array(script.exportRows.filter { afterID == nil || $0.id > afterID ?? "" }.prefix(limit))
    }

    func npsReport(from: Date, before: Date, groupBy: NpsDimension?) async throws -> NpsReport { script.report }

    func followUps(_ filter: FollowUpFilter, pageSize: Int, after cursor: FollowUpCursor?) async throws -> FollowUpPage {
        script.followUps
    }

    func activityOverview(customerID: String, recent: Int, today: CalendarDate) async throws -> ActivityOverview {
        state.withLock {
            $0.calls.overviewRecent.append(recent)
            $0.calls.overviewToday.append(today)
        }
        return script.overview
    }

    func importInteractions(_ interactions: [Interaction], context: LogContext) async throws {}
}
