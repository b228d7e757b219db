import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, its standard output and error going to files.
///
/// Not Foundation's `Process`: on Linux with Swift 6.3.1 `Process.run()` over-reads
/// `/proc/self/fd` entries and crashes intermittently (swift-corelibs-foundation pull request
/// 5472), which crashed this suite once in a few runs. Output goes to files, not pipes, so a chatty
/// child cannot fill a pipe nobody drains and stall.
final class SpawnedProcess: Sendable {
    let pid: pid_t
    private let reaping: Reaping
    private let exit: Task<Int32, Never>

    /// The exit status once the child is reaped, as `Process.terminationStatus`: the exit code,
    /// or the signal that ended it.
    private final class Reaping: Sendable {
        let exitStatus = Mutex<Int32?>(nil)
    }

    /// Spawns `executable` with `arguments`; its standard input is `/dev/null`.
    init(_ executable: String, _ arguments: [String], stdout: String, stderr: String) throws {
        pid = try Self.spawn(executable, arguments, stdout: stdout, stderr: stderr)
        let (pid, reaping) = (pid, Reaping())
        self.reaping = reaping
        exit = Task {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: Self.reap(pid, recordingIn: reaping))
                }
            }
        }
    }

    /// Whether the child has not been reaped yet.
    var isRunning: Bool { reaping.exitStatus.withLock { $0 == nil } }

    /// Waits for the child to exit; its exit status.
    func waitForExit() async -> Int32 { await exit.value }

    /// Sends `signal` unless the child has been reaped (its pid may then be another process's).
    func send(_ signal: Int32) {
        reaping.exitStatus.withLock { status in
            if status == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits, on a thread of its own, until the child exits; then reaps it under the lock `send`
    /// takes, so no signal can reach a reused pid.
    private static func reap(_ pid: pid_t, recordingIn reaping: Reaping) -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        return reaping.exitStatus.withLock { recorded in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let code = status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
            recorded = code
            return code
        }
    }

    private static func spawn(_ path: String, _ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([path] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") }
        defer { environment.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, nil, argv + [nil], environment + [nil])
        guard result == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "cannot run \(path): \(String(cString: strerror(result)))"])
        }
        return pid
    }
}
