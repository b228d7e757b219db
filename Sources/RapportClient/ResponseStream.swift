import RapportWire
import SwiftProtobuf

/// The messages of a server-streaming call in order; it ends after an OK status and throws `RPCError` otherwise.
public struct ResponseStream<Response: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Response
    public typealias Failure = any Error

    private let base: AsyncThrowingStream<[UInt8], any Error>
    /// Ends the call (and tells the server) when a message does not decode.
    private let abort: @Sendable (RPCError) -> Void

    init(base: AsyncThrowingStream<[UInt8], any Error>, abort: @escaping @Sendable (RPCError) -> Void) {
        self.base = base
        self.abort = abort
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), abort: abort)
    }

    /// Decodes each message as it is taken from the stream.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        private let abort: @Sendable (RPCError) -> Void
        private var isDone = false

        init(base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator, abort: @escaping @Sendable (RPCError) -> Void) {
            self.base = base
            self.abort = abort
        }

        public mutating func next() async throws -> Response? {
            guard !isDone else { return nil }
            let bytes: [UInt8]?
            do {
                bytes = try await base.next()
            } catch {
                isDone = true
                throw ClientErrors.wrap(error)
            }
            guard let bytes else {
                isDone = true
                // A cancelled consumer sees the stream end quietly; say why instead.
                if Task.isCancelled { throw ClientErrors.cancelled }
                return nil
            }
            do {
                return try MessageCoding.decode(Response.self, from: bytes)
            } catch {
                isDone = true
                abort(error)
                throw error
            }
        }
    }
}
