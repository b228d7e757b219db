import Synchronization

/// Holds the current `PrincipalDirectory`; a reload swaps it atomically, and connections keep
/// running. Each swap bumps a generation, so credentials cached on connections are re-checked
/// against the new directory (a removed token stops working on its open connections too).
public final class Authenticator: Sendable {
    private let current: Mutex<Snapshot>

    /// A directory and its generation, read together.
    struct Snapshot: Sendable {
        let generation: UInt64
        let directory: PrincipalDirectory
    }

    public init(directory: PrincipalDirectory) {
        current = Mutex(Snapshot(generation: 1, directory: directory))
    }

    /// Replaces the directory; calls admitted from now on are checked against the new one.
    public func replace(with directory: PrincipalDirectory) {
        current.withLock { $0 = Snapshot(generation: $0.generation &+ 1, directory: directory) }
    }

    /// The directory in force.
    public var directory: PrincipalDirectory {
        current.withLock { $0.directory }
    }

    var snapshot: Snapshot {
        current.withLock { $0 }
    }
}
