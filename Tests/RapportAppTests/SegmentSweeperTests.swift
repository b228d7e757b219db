import Foundation
import Logging
import RapportDomain
import RapportStore
import Synchronization
import Testing
@testable import RapportApp

@Suite struct SegmentSweeperTests {
    /// A store of one step's worth of customers whose first `failures` steps fail as busy.
    final class ScriptedSweepStore: SegmentSweepStore {
        struct State {
            var steps: [CalendarDate] = []
            var recorded: [CalendarDate] = []
            var failuresLeft: Int
        }
        let state: Mutex<State>

        init(failures: Int = 0) {
            state = Mutex(State(failuresLeft: failures))
        }

        func resegmentStep(
            after cursor: SegmentSweepCursor?, limit: Int, today: CalendarDate, segmenter: Segmenter
        ) async throws -> SegmentSweepStep {
            try state.withLock { state in
                if state.failuresLeft > 0 {
                    state.failuresLeft -= 1
                    throw StoreError(.busy, "the database stayed locked")
                }
                state.steps.append(today)
            }
            return SegmentSweepStep(next: nil, examined: 3, changed: 1)
        }

        func lastSweptDay() async throws -> CalendarDate? { state.withLock { $0.recorded.last } }
        func recordSweep(of day: CalendarDate, at now: Date) async throws { state.withLock { $0.recorded.append(day) } }
    }

    static let now = Date(timeIntervalSince1970: 1_763_900_000)
    static let today = CalendarDate(utcDayOf: now)

    static func sweeper(_ store: ScriptedSweepStore) -> SegmentSweeper {
        var settings = SegmentSweepSettings()
        settings.pauseSeconds = 0
        return SegmentSweeper(
            store: store, segmenter: Segmenter(policy: .defaults), settings: settings, clock: { now },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @Test func aCompleteSweepIsRecordedForItsDay() async {
        let store = ScriptedSweepStore()
        #expect(await Self.sweeper(store).sweep(today: Self.today))
        #expect(store.state.withLock { $0.recorded } == [Self.today])
    }

    @Test func aFailedSweepIsNotRecordedAndTheNextOneRuns() async {
        let store = ScriptedSweepStore(failures: 1)
        let sweeper = Self.sweeper(store)
        #expect(await sweeper.sweep(today: Self.today) == false)
        #expect(store.state.withLock { $0.recorded }.isEmpty)
        #expect(await sweeper.sweep(today: Self.today))
        #expect(store.state.withLock { $0.recorded } == [Self.today])
    }

    @Test func settingsProblemsNameTheKey() {
        var settings = SegmentSweepSettings()
        #expect(settings.problems.isEmpty)
        settings.stepSize = 0
        settings.checkIntervalSeconds = .nan
        settings.pauseSeconds = -1
        #expect(settings.problems.count == 3)
        #expect(settings.problems.contains { $0.hasPrefix("stepSize 0") })
    }

    @Test func theConfigFileKeyAppliesAndRefusesUnknownKeys() throws {
        let load = configuration(fromConfigFile:)
        let configuration = try load(#"{"segment_sweep": {"stepSize": 50, "enabled": false}}"#)
        #expect(configuration.segmentSweep.stepSize == 50 && !configuration.segmentSweep.enabled)
        #expect(configuration.segmentSweep.checkIntervalSeconds == 60)
        let unknown = #expect(throws: ConfigurationError.self) { _ = try load(#"{"segment_sweep": {"step": 5}}"#) }
        #expect(unknown?.description.contains("'step'") == true)
        let bad = try load(#"{"segment_sweep": {"stepSize": 0}}"#)
        let refused = #expect(throws: ConfigurationError.self) { try bad.validate() }
        #expect(refused?.description.hasPrefix("segment_sweep: stepSize 0") == true)
    }
}
