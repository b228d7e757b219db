import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A finished child process: its exit status and what it printed.
struct ProcessRun {
    let status: Int32
    let output: String
    let errors: String

    /// Runs a program to completion without blocking a cooperative thread (the daemon under test
    /// needs them). Its output goes to files, so a chatty program cannot fill a pipe and stall.
    ///
    /// Spawned with `posix_spawn`, not Foundation's `Process`: on Linux with Swift 6.3.1
    /// `Process.run()` over-reads `/proc/self/fd` entries and crashes intermittently
    /// (swift-corelibs-foundation pull request 5472), which crashed this suite once in a few runs.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> ProcessRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputPath = directory.appendingPathComponent("stdout").path
        let errorsPath = directory.appendingPathComponent("stderr").path
        let pid = try spawn(executable.path, arguments, stdout: outputPath, stderr: errorsPath)
        let waitStatus: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        // As `Process.terminationStatus`: the exit code, or the signal that ended the process.
        let status = waitStatus & 0x7f == 0 ? (waitStatus >> 8) & 0xff : waitStatus & 0x7f
        return ProcessRun(
            status: status,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "")
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

    /// A program the tests need is not there.
    struct Missing: Error, CustomStringConvertible {
        let path: String
        let hint: String
        var description: String { "\(path) not found; \(hint)" }
    }
}
