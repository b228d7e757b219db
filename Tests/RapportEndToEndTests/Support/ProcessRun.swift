import Foundation

/// A finished child process: its exit status and what it printed.
struct ProcessRun {
    let status: Int32
    let output: String
    let errors: String

    /// Runs a program to completion without blocking a cooperative thread (the daemon under test
    /// needs them), as a `SpawnedProcess` (not Foundation's `Process`; see there why).
    static func run(_ executable: URL, _ arguments: [String]) async throws -> ProcessRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputPath = directory.appendingPathComponent("stdout").path
        let errorsPath = directory.appendingPathComponent("stderr").path
        let process = try SpawnedProcess(executable.path, arguments, stdout: outputPath, stderr: errorsPath)
        let status = await process.waitForExit()
        return ProcessRun(
            status: status,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "")
    }

    /// A program the tests need is not there.
    struct Missing: Error, CustomStringConvertible {
        let path: String
        let hint: String
        var description: String { "\(path) not found; \(hint)" }
    }
}
