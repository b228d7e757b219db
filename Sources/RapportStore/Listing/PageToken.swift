import Foundation

/// An opaque, URL-safe page token: a keyset cursor plus a hash of the filters of its list.
///
/// One format serves every paginated list (customers, a customer's interactions, the follow-up
/// queue): unpadded base64url of a version byte, the 64-bit FNV-1a hash of the list's
/// `CanonicalFilters` (8 bytes, big-endian) and the cursor's JSON masked with a keystream seeded
/// by that hash. The mask keeps cursor values (such as a customer's normalised name in a
/// name-prefix list) from being read off a base64 decode in a log; it is obfuscation, not
/// encryption. Decoding checks the version, the cursor's shape and that the hash matches the
/// filters the token is used with (the page size may change between pages, the filters may not).
public struct PageToken: Sendable, Hashable {
    /// Tokens longer than this are rejected before decoding.
    static let maximumLength = 4096
    /// Version 1 tokens (plain JSON) are refused like any token this service did not issue.
    static let currentVersion: UInt8 = 2
    /// Version byte plus hash.
    private static let headerLength = 9

    /// The token text handed to clients.
    public let rawValue: String

    /// Wraps a token received from a client.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The token carrying `cursor` for the list that `filters` describes.
    init<Cursor: Encodable>(cursor: Cursor, filters: CanonicalFilters) {
        let hash = filters.hash
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding strings and integers cannot fail; an empty payload would only be refused later.
        let json = (try? encoder.encode(cursor)) ?? Data()
        var bytes = Data([Self.currentVersion])
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: hash >> UInt64(shift)))
        }
        bytes.append(Self.masked(json, seed: hash))
        rawValue = Self.base64URLEncoded(bytes)
    }

    /// The cursor this token carries, checked against the filters of the list it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token is malformed, its cursor fails
    ///   `isWellFormed`, or it was issued for a list with other filters.
    func cursor<Cursor: Decodable>(
        _ type: Cursor.Type, filters: CanonicalFilters, isWellFormed: (Cursor) -> Bool
    ) throws -> Cursor {
        guard rawValue.utf8.count <= Self.maximumLength,
            let bytes = Self.base64URLDecoded(rawValue).map(Array.init),
            bytes.count > Self.headerLength, bytes[0] == Self.currentVersion
        else { throw Self.notIssued }
        let hash = bytes[1..<Self.headerLength].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let json = Self.masked(bytes[Self.headerLength...], seed: hash)
        guard let cursor = try? JSONDecoder().decode(Cursor.self, from: json), isWellFormed(cursor) else {
            throw Self.notIssued
        }
        guard hash == filters.hash else { throw Self.differentFilters }
        return cursor
    }

    /// Whether an id taken from a token is plausible; anything else is not a token we issued.
    static func isWellFormedID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 256
    }

    static var notIssued: StoreError {
        StoreError(.invalidPageToken, "page_token is not a token this service issued; omit it to start from the first page")
    }

    static var differentFilters: StoreError {
        StoreError(
            .invalidPageToken,
            "page_token belongs to a list with different filters; repeat the original request's filters, or omit page_token to start from the first page"
        )
    }

    /// `bytes` XOR-ed with a SplitMix64 keystream from `seed`; masking twice restores the input.
    private static func masked(_ bytes: some Sequence<UInt8>, seed: UInt64) -> Data {
        var state = seed
        var word: UInt64 = 0
        var result: [UInt8] = []
        result.reserveCapacity(bytes.underestimatedCount)
        for (offset, byte) in bytes.enumerated() {
            let lane = offset % 8
            if lane == 0 {
                state &+= 0x9e37_79b9_7f4a_7c15
                word = (state ^ (state >> 30)) &* 0xbf58_476d_1ce4_e5b9
                word = (word ^ (word >> 27)) &* 0x94d0_49bb_1331_11eb
                word ^= word >> 31
            }
            result.append(byte ^ UInt8(truncatingIfNeeded: word >> UInt64(lane * 8)))
        }
        return Data(result)
    }

    /// Base64url without padding (RFC 4648 §5), mapped byte by byte: Foundation's
    /// `replacingOccurrences` went through NSString and cost more than the rest of a token.
    static func base64URLEncoded(_ data: Data) -> String {
        let text = data.base64EncodedString().utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func base64URLDecoded(_ text: String) -> Data? {
        guard !text.isEmpty,
            text.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else { return nil }
        var base64 = text.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        let remainder = base64.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += Array(repeating: UInt8(ascii: "="), count: 4 - remainder) }
        return Data(base64Encoded: Data(base64))
    }
}

/// A list's identity and filters as one unambiguous string, which a page token keeps only as a hash.
struct CanonicalFilters {
    private(set) var text: String

    /// Starts the description of a list of `list` ("customers", "interactions", …).
    init(list: String) {
        text = ""
        add("list", list)
    }

    /// Adds a filter; nil (no filter) adds nothing.
    mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        // Length-prefixed so no value can imitate another field.
        text += "\(name)=\(value.utf8.count):\(value);"
    }

    /// The stable 64-bit FNV-1a hash of the text: the same in every process and on every platform.
    var hash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}

extension PageToken {
    /// The token for continuing `query` after `cursor`.
    public init(cursor: PageCursor, query: CustomerQuery) {
        self.init(cursor: cursor, filters: NormalizedQuery(query).canonicalFilters)
    }

    /// The cursor this token carries, checked against the query it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token is malformed or was issued
    ///   for a query with different filters.
    public func cursor(for query: CustomerQuery) throws -> PageCursor {
        let normalized = NormalizedQuery(query)
        let cursor = try cursor(PageCursor.self, filters: normalized.canonicalFilters) { Self.isWellFormedID($0.afterID) }
        guard (cursor.afterNameKey != nil) == normalized.ordersByName else { throw Self.differentFilters }
        return cursor
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }
}
