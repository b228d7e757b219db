import Crypto
import Foundation

/// The hash chain of the audit trail: each event's hash covers its id, its fields and the
/// previous event's hash, so changing, removing or reordering any stored event breaks every
/// hash after it.
///
/// The encoding is canonical and length-prefixed: a version label, then each field as its byte
/// length (8 bytes, big-endian) and its UTF-8 bytes; the customer ids as their count and then
/// each id the same way; times as decimal milliseconds since 1970. No value can imitate a
/// neighbouring field, and the encoding never depends on a library's formatting.
public enum AuditChain {
    /// The hash the first event chains to.
    public static let genesisHash = Data(repeating: 0, count: 32)

    /// Bumped if the encoding ever changes; part of every hash.
    static let encodingLabel = "rapport.audit.v1"

    /// The hash of event `id` with these fields, chained to `previousHash`.
    public static func hash(id: Int64, time millis: Int64, entry: AuditEntry, previousHash: Data) -> Data {
        var encoding: [UInt8] = []
        encoding.reserveCapacity(192 + entry.customerIDs.count * 40)
        append(encodingLabel, to: &encoding)
        append(String(id), to: &encoding)
        append(String(millis), to: &encoding)
        append(entry.principal, to: &encoding)
        append(entry.method, to: &encoding)
        appendLength(entry.customerIDs.count, to: &encoding)
        for customerID in entry.customerIDs { append(customerID, to: &encoding) }
        append(entry.outcome, to: &encoding)
        append(entry.detail, to: &encoding)
        append(entry.requestID, to: &encoding)
        append(entry.peer, to: &encoding)
        appendLength(previousHash.count, to: &encoding)
        encoding.append(contentsOf: previousHash)
        return Data(SHA256.hash(data: encoding))
    }

    private static func append(_ text: String, to encoding: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            appendLength(bytes.count, to: &encoding)
            encoding.append(contentsOf: bytes)
        }
    }

    private static func appendLength(_ length: Int, to encoding: inout [UInt8]) {
        let value = UInt64(clamping: length)
        for shift in stride(from: 56, through: 0, by: -8) {
            encoding.append(UInt8(truncatingIfNeeded: value &>> UInt64(shift)))
        }
    }
}

/// What a verification of the chain found.
public enum AuditChainVerdict: Sendable, Hashable {
    /// Every event chains to the one before and hashes to its stored hash.
    case intact(events: Int64, headHash: Data)
    /// The first event that does not; `reason` says how.
    case broken(eventID: Int64, reason: String)
}
