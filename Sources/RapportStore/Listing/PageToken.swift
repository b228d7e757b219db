import Foundation

/// An opaque, URL-safe page token: a `PageCursor` plus a fingerprint of the query's filters.
///
/// The text is unpadded base64url of a small JSON object `{"v":1,"q":fingerprint,"id":…,"n":…}`.
/// Decoding checks the version and that the fingerprint matches the query it is used with
/// (the page size may change between pages, the filters may not).
public struct PageToken: Sendable, Hashable {
    /// Tokens longer than this are rejected before decoding.
    static let maximumLength = 4096

    /// The token text handed to clients.
    public let rawValue: String

    /// Wraps a token received from a client.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The token for continuing `query` after `cursor`.
    public init(cursor: PageCursor, query: CustomerQuery) {
        let normalized = NormalizedQuery(query)
        let payload = Payload(v: Payload.currentVersion, q: normalized.fingerprint, id: cursor.afterID, n: cursor.afterNameKey)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding strings and an integer cannot fail; an empty token would only restart the list.
        let json = (try? encoder.encode(payload)) ?? Data()
        rawValue = Self.base64URLEncoded(json)
    }

    /// The cursor this token carries, checked against the query it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token is malformed or was issued
    ///   for a query with different filters.
    public func cursor(for query: CustomerQuery) throws -> PageCursor {
        let normalized = NormalizedQuery(query)
        guard rawValue.utf8.count <= Self.maximumLength,
            let json = Self.base64URLDecoded(rawValue),
            let payload = try? JSONDecoder().decode(Payload.self, from: json),
            payload.v == Payload.currentVersion,
            !payload.id.isEmpty, payload.id.utf8.count <= 256
        else {
            throw StoreError(
                .invalidPageToken,
                "page_token is not a token this service issued; omit it to start from the first page")
        }
        guard payload.q == normalized.fingerprint, (payload.n != nil) == normalized.ordersByName else {
            throw StoreError(
                .invalidPageToken,
                "page_token belongs to a list with different filters; repeat the original filters, or omit page_token to start from the first page"
            )
        }
        return PageCursor(afterID: payload.id, afterNameKey: payload.n)
    }

    private struct Payload: Codable {
        static let currentVersion = 1
        var v: Int
        var q: String
        var id: String
        var n: String?
    }

    static func base64URLEncoded(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func base64URLDecoded(_ text: String) -> Data? {
        guard !text.isEmpty,
            text.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }
}
