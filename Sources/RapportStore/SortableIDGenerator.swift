import Foundation
import Synchronization

/// Makes time-ordered ids: a 48-bit millisecond timestamp and 80 random bits in Crockford
/// base32 (26 characters), so ids sort by creation time as plain strings.
///
/// Monotonic within a process: in the same millisecond (or if the clock steps back) the random
/// part of the previous id is incremented instead of drawn anew, as ULID specifies.
final class SortableIDGenerator: Sendable {
    /// The generator the store's id functions share.
    static let shared = SortableIDGenerator()

    private struct State {
        var millis: UInt64 = 0
        var high: UInt16 = 0
        var low: UInt64 = 0
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let maximumMillis: UInt64 = (1 << 48) - 1

    private let state = Mutex(State())

    /// Makes every later id sort after `id` (an id this generator's format made, as the last 26
    /// characters of `id`, after any prefix), so ids keep increasing across restarts even when
    /// the clock went back. Ignores anything that is not such an id.
    func advance(past id: String) {
        let characters = Array(id.utf8.suffix(26))
        guard characters.count == 26 else { return }
        var value: UInt128 = 0
        for character in characters {
            guard let digit = Self.alphabet.firstIndex(of: character) else { return }
            value = value << 5 | UInt128(digit)
        }
        let millis = UInt64(truncatingIfNeeded: value >> 80)
        state.withLock { state in
            let current = UInt128(state.millis) << 80 | UInt128(state.high) << 64 | UInt128(state.low)
            guard value > current else { return }
            state.millis = millis
            state.high = UInt16(truncatingIfNeeded: value >> 64)
            state.low = UInt64(truncatingIfNeeded: value)
        }
    }

    /// The next id, 26 characters.
    func next(now: Date) -> String {
        let seconds = now.timeIntervalSince1970
        let clamped = seconds.isFinite ? min(max((seconds * 1000).rounded(), 0), Double(Self.maximumMillis)) : 0
        let millis = UInt64(clamped)
        let value: UInt128 = state.withLock { state in
            if millis > state.millis {
                state.millis = millis
                state.high = UInt16.random(in: .min ... .max)
                state.low = UInt64.random(in: .min ... .max)
            } else {
                let (low, overflow) = state.low.addingReportingOverflow(1)
                state.low = low
                if overflow {
                    let (high, highOverflow) = state.high.addingReportingOverflow(1)
                    state.high = high
                    if highOverflow {
                        // 2^80 ids in one millisecond: borrow the next millisecond.
                        state.millis = min(state.millis + 1, Self.maximumMillis)
                    }
                }
            }
            return UInt128(state.millis) << 80 | UInt128(state.high) << 64 | UInt128(state.low)
        }
        var characters = [UInt8](repeating: 0, count: 26)
        for index in 0..<26 {
            let shift = (25 - index) * 5
            characters[index] = Self.alphabet[Int(truncatingIfNeeded: (value >> shift) & 31)]
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// A random etag: 16 lower-case hex digits.
    static func newEtag() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
