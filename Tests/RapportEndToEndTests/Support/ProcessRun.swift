import Foundation

/// A finished child process: its exit status and what it printed.
struct ProcessRun {
    let status: Int32
    let output: String
    let errors: String

    /// Runs a program to completion without blocking a cooperative thread (the daemon under test needs them).
    static func run(_ executable: URL, _ arguments: [String]) async throws -> ProcessRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return ProcessRun(
            status: status,
            output: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            errors: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }

    /// A program the tests need is not there.
    struct Missing: Error, CustomStringConvertible {
        let path: String
        let hint: String
        var description: String { "\(path) not found; \(hint)" }
    }
}
