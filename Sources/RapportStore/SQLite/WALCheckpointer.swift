import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies committed pages from the write-ahead log into the database file on a connection and a
/// thread of its own, so that the writer's commits do not wait for those page writes and the
/// database file's fsync.
///
/// SQLite's own checkpoint runs on the committing connection after a commit once the log holds
/// 1,000 pages; with many customers a group commit dirties hundreds of pages, so the writer spent
/// a large share of its time checkpointing (benchmarks/README.md). This type replaces that
/// automatic checkpoint with the writer's `wal_hook`, which SQLite calls after every commit with
/// the log's size:
/// - below `triggerFrames` (SQLite's own threshold) nothing happens, so a small or quiet store
///   behaves as it did, with no extra thread waking up or fsync;
/// - from `triggerFrames` a checkpoint is requested on this type's queue; requests made while one
///   is pending are one request, and rounds are at least `minimumInterval` apart, so a busy writer
///   gets a round every `minimumInterval` that copies many commits' pages at once;
/// - from `backstopFrames` the writer checkpoints after its commit itself, as SQLite would have:
///   only a checkpoint that has copied the whole log lets SQLite start the log over, and under
///   sustained writes the background rounds rarely catch the last commit, so without a backstop
///   the log would grow without bound.
final class WALCheckpointer: Sendable {
    /// The log size (pages) from which a background round is requested: SQLite's default
    /// automatic checkpoint threshold.
    static let defaultTriggerFrames: Int32 = 1000
    /// The log size (pages) at which the writer checkpoints after its commit (~32 MB).
    static let defaultBackstopFrames: Int32 = 8000
    /// The shortest time between the starts of two rounds.
    static let minimumInterval = Duration.milliseconds(20)

    /// When a background round is requested.
    let triggerFrames: Int32
    /// When the writer checkpoints itself.
    let backstopFrames: Int32

    private let writer: DatabasePool
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "rapport.wal-checkpointer")
    private let state = Mutex(State())

    private struct State {
        var pending = false
        var stopped = false
        var lastRoundStart = ContinuousClock.now - WALCheckpointer.minimumInterval
    }

    /// Opens a second connection to the database at `path` and installs the hook on `writer`'s
    /// connection, replacing SQLite's automatic checkpoint there.
    init(
        writer: DatabasePool, path: String,
        triggerFrames: Int32 = WALCheckpointer.defaultTriggerFrames,
        backstopFrames: Int32 = WALCheckpointer.defaultBackstopFrames
    ) throws {
        self.writer = writer
        self.triggerFrames = triggerFrames
        self.backstopFrames = backstopFrames
        var configuration = Configuration()
        configuration.label = "rapport.wal-checkpointer"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        let context = Unmanaged.passUnretained(self).toOpaque()
        writer.writeWithoutTransaction { db in
            guard let connection = db.sqliteConnection else { return }
            _ = sqlite3_wal_hook(connection, walHook, context)
        }
    }

    /// Removes the hook, waits for the round in progress and closes the connection. The hook
    /// holds no reference to this object, so it must be removed before the object goes away.
    func stop() {
        let wasStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !wasStopped else { return }
        writer.writeWithoutTransaction { db in
            // A closed connection has no hook left to remove.
            guard let connection = db.sqliteConnection else { return }
            _ = sqlite3_wal_hook(connection, nil, nil)
        }
        queue.sync {}
        try? connection.close()
    }

    /// Called by the hook on the writer's thread after a commit that left `frames` in the log.
    fileprivate func committed(frames: Int32, writerConnection: OpaquePointer?, databaseName: UnsafePointer<CChar>?) {
        if frames >= backstopFrames {
            // What SQLite's automatic checkpoint does: passive, so it never waits for readers.
            _ = sqlite3_wal_checkpoint_v2(writerConnection, databaseName, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if frames >= triggerFrames {
            requestRound()
        }
    }

    private func requestRound() {
        let delay: Duration? = state.withLock { state in
            guard !state.pending, !state.stopped else { return nil }
            state.pending = true
            return max(.zero, state.lastRoundStart + Self.minimumInterval - .now)
        }
        guard let delay else { return }
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in round() }
    }

    /// One passive checkpoint. A commit during the round requests the next one, so the last
    /// commit's pages are always copied by some round. A busy or failed round (the writer's
    /// backstop checkpoint holds the lock) is left to the next commit's request.
    private func round() {
        let proceed = state.withLock { state in
            state.pending = false
            state.lastRoundStart = .now
            return !state.stopped
        }
        guard proceed else { return }
        _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
    }
}

/// The writer's `wal_hook`: SQLite calls it after each commit, on the committing thread.
private func walHook(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    databaseName: UnsafePointer<CChar>?, frames: Int32
) -> Int32 {
    if let context {
        Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            .committed(frames: frames, writerConnection: connection, databaseName: databaseName)
    }
    return SQLITE_OK
}
