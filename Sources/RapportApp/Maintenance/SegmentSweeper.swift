import Foundation
import Logging
import RapportDomain
import RapportStore
import ServiceLifecycle

/// How often and how gently the daily segment sweep runs.
public struct SegmentSweepSettings: Sendable, Hashable, Codable {
    /// Whether the daemon sweeps at all.
    public var enabled = true
    /// How often the sweeper looks at the clock for a new UTC day.
    public var checkIntervalSeconds: Double = 60
    /// Customers per step (one read transaction, then one short write for those that changed).
    public var stepSize = 500
    /// A pause between steps, leaving the cores to calls.
    public var pauseSeconds: Double = 0.05

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, checkIntervalSeconds, stepSize, pauseSeconds
    }

    /// Every key optional; unknown keys refused (see `StrictKeys`).
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        let defaults = SegmentSweepSettings()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        checkIntervalSeconds = try container.decodeIfPresent(Double.self, forKey: .checkIntervalSeconds) ?? defaults.checkIntervalSeconds
        stepSize = try container.decodeIfPresent(Int.self, forKey: .stepSize) ?? defaults.stepSize
        pauseSeconds = try container.decodeIfPresent(Double.self, forKey: .pauseSeconds) ?? defaults.pauseSeconds
    }

    /// What is wrong with these settings, one sentence each; empty when they are usable.
    public var problems: [String] {
        var problems: [String] = []
        if !(checkIntervalSeconds.isFinite && checkIntervalSeconds >= 0.01 && checkIntervalSeconds <= 86_400) {
            problems.append("checkIntervalSeconds \(checkIntervalSeconds) must be 0.01...86400")
        }
        if !(1...10_000).contains(stepSize) {
            problems.append("stepSize \(stepSize) must be 1...10000")
        }
        if !(pauseSeconds.isFinite && pauseSeconds >= 0 && pauseSeconds <= 60) {
            problems.append("pauseSeconds \(pauseSeconds) must be 0...60")
        }
        return problems
    }
}

/// Brings every customer's stored segments up to date once per UTC day, in the background.
///
/// Segments depend on the day as well as on the data: the activity windows slide, tenure grows,
/// products reach their closing date. Writes re-segment the customers they touch; this sweep
/// catches the rest, above all the customer who has gone quiet and is now declining. A sweep
/// that fails (a busy or closed store) is logged and tried again at the next check.
public struct SegmentSweeper: Service {
    let store: any SegmentSweepStore
    let segmenter: Segmenter
    let settings: SegmentSweepSettings
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(
        store: any SegmentSweepStore, segmenter: Segmenter, settings: SegmentSweepSettings,
        clock: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.store = store
        self.segmenter = segmenter
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Sweeps at start and whenever the UTC day changes, until graceful shutdown.
    public func run() async throws {
        guard settings.enabled else {
            // A service that returns would end the whole ServiceGroup (the daemon): stay until shutdown.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            // A restart later the same day does not sweep again.
            var sweptDay = try? await store.lastSweptDay()
            while !Task.isCancelled {
                let today = CalendarDate(utcDayOf: clock())
                if today != sweptDay, await sweep(today: today) {
                    sweptDay = today
                }
                do {
                    try await Task.sleep(for: .seconds(settings.checkIntervalSeconds))
                } catch {
                    return
                }
            }
        }
    }

    /// One pass over every customer as of `today`.
    /// - Returns: whether it went through to the end (false when it failed or was cancelled).
    func sweep(today: CalendarDate) async -> Bool {
        let started = ContinuousClock.now
        var cursor: SegmentSweepCursor?
        var examined = 0
        var changed = 0
        do {
            repeat {
                try Task.checkCancellation()
                let step = try await store.resegmentStep(after: cursor, limit: settings.stepSize, today: today, segmenter: segmenter)
                examined += step.examined
                changed += step.changed
                cursor = step.next
                if cursor != nil && settings.pauseSeconds > 0 {
                    try await Task.sleep(for: .seconds(settings.pauseSeconds))
                }
            } while cursor != nil
        } catch is CancellationError {
            return false
        } catch {
            logger.warning("segment sweep failed; retrying at the next check", metadata: [
                "day": "\(today.isoString)", "examined": "\(examined)", "error": "\(error)",
            ])
            return false
        }
        do {
            try await store.recordSweep(of: today, at: clock())
        } catch {
            logger.warning("segment sweep done but not recorded; a restart today sweeps again", metadata: ["error": "\(error)"])
        }
        logger.info("segment sweep done", metadata: [
            "day": "\(today.isoString)", "examined": "\(examined)", "changed": "\(changed)",
            "duration": "\(ContinuousClock.now - started)",
        ])
        return true
    }
}
