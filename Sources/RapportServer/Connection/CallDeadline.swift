import RapportWire

/// Runs a handler under the caller's deadline.
enum CallDeadline {
    /// Runs `operation`, cancelling it and throwing DEADLINE_EXCEEDED if `deadline` passes first.
    /// Returns only after the operation has stopped, so nothing of the call outlives it.
    static func run<Result: Sendable>(
        until deadline: ContinuousClock.Instant?,
        timeoutMilliseconds: UInt32,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard let deadline else { return try await operation() }
        return try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask(operation: operation)
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                throw RPCError(code: .deadlineExceeded, message: "deadline of \(timeoutMilliseconds) ms exceeded")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw RPCError(code: .internal, message: "call finished without a result")
            }
            return first
        }
    }
}
