import Crypto
import Foundation

/// Seals keyset cursors into the opaque page tokens handed to clients, and opens only tokens it
/// sealed: the one codec every paginated list (customers, a customer's interactions, the follow-up
/// queue, products) goes through.
///
/// A token is unpadded base64url of a version byte and an AES-256-GCM sealed box (nonce,
/// ciphertext, tag) of the first 8 bytes of the SHA-256 of the list's `CanonicalFilters` followed
/// by the cursor's JSON, with the version byte as authenticated data. GCM's tag makes every token
/// this daemon did not seal — a changed, cut or lengthened one, or one sealed under another key —
/// fail to open, and the encryption keeps cursor values (such as a customer's normalised name in a
/// name-prefix list) unreadable. The key is the data directory's page-token secret
/// (`PageTokenSecret`), so tokens outlive restarts; replacing that file makes every earlier token
/// INVALID_ARGUMENT. The filters digest inside lets a genuine token used with other filters get
/// its own message (the page size may change between pages, the filters may not).
public struct PageTokenCodec: Sendable {
    /// Tokens longer than this are rejected before decoding.
    static let maximumLength = 4096
    /// Versions 1 (plain JSON) and 2 (masked, unauthenticated) are refused like any token this
    /// service did not issue.
    static let currentVersion: UInt8 = 3
    /// The size of the key, in bytes (AES-256).
    public static let keyByteCount = 32
    /// Bytes of the filters digest inside a token.
    private static let filtersDigestLength = 8

    private let key: SymmetricKey

    /// A codec sealing with `key`, which must be `keyByteCount` bytes.
    init(key: SymmetricKey) {
        precondition(key.bitCount == Self.keyByteCount * 8, "page-token keys are 256-bit")
        self.key = key
    }

    /// A codec with a random key of its own, for stores that keep no secret (test doubles): its
    /// tokens are refused by every other codec, including one after a restart.
    public static func ephemeral() -> PageTokenCodec {
        PageTokenCodec(key: SymmetricKey(size: .bits256))
    }

    /// The token carrying `cursor` for the list that `filters` describes.
    func token<Cursor: Encodable>(_ cursor: Cursor, filters: CanonicalFilters) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding strings and integers cannot fail; an empty cursor would only be refused later.
        let json = (try? encoder.encode(cursor)) ?? Data()
        var plaintext = filters.digest
        plaintext.append(json)
        // Sealing with a valid key and a random nonce does not fail; should it, the empty token
        // reads as "no more pages" would, so fall back to a token that is refused instead.
        guard let sealed = try? AES.GCM.seal(plaintext, using: key, authenticating: Self.authenticatedData).combined else {
            return "-"
        }
        var bytes = Data([Self.currentVersion])
        bytes.append(sealed)
        return Self.base64URLEncoded(bytes)
    }

    /// The cursor `token` carries, checked against the filters of the list it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token was not sealed by this codec's
    ///   key (or is malformed), its cursor fails `isWellFormed`, or it was issued for a list with
    ///   other filters.
    func cursor<Cursor: Decodable>(
        _ token: String, _ type: Cursor.Type, filters: CanonicalFilters, isWellFormed: (Cursor) -> Bool
    ) throws -> Cursor {
        guard token.utf8.count <= Self.maximumLength, let bytes = Self.base64URLDecoded(token),
            bytes.first == Self.currentVersion,
            let box = try? AES.GCM.SealedBox(combined: bytes.dropFirst()),
            let plaintext = try? AES.GCM.open(box, using: key, authenticating: Self.authenticatedData),
            plaintext.count > Self.filtersDigestLength
        else { throw Self.notIssued }
        let digest = plaintext.prefix(Self.filtersDigestLength)
        guard let cursor = try? JSONDecoder().decode(Cursor.self, from: plaintext.dropFirst(Self.filtersDigestLength)),
            isWellFormed(cursor)
        else { throw Self.notIssued }
        guard digest.elementsEqual(filters.digest) else { throw Self.differentFilters }
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

    /// The version byte, authenticated so a token cannot be relabelled as another version.
    private static let authenticatedData = Data([currentVersion])

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

    /// The bytes of canonical unpadded base64url text, or nil. Text whose last character carries
    /// bits the bytes do not use is refused, so each token has exactly one spelling.
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
        guard let data = Data(base64Encoded: Data(base64)), base64URLEncoded(data) == text else { return nil }
        return data
    }
}

/// A list's identity and filters as one unambiguous string, which a page token keeps only as a digest.
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

    /// The first 8 bytes of the text's SHA-256.
    var digest: Data {
        Data(SHA256.hash(data: Data(text.utf8)).prefix(8))
    }
}

extension PageTokenCodec {
    /// The token for continuing `query` after `cursor`.
    public func token(for cursor: PageCursor, query: CustomerQuery) -> String {
        token(cursor, filters: NormalizedQuery(query).canonicalFilters)
    }

    /// The cursor `token` carries, checked against the query it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token was not issued by this codec or
    ///   was issued for a query with different filters.
    public func cursor(_ token: String, for query: CustomerQuery) throws -> PageCursor {
        let normalized = NormalizedQuery(query)
        let cursor = try cursor(token, PageCursor.self, filters: normalized.canonicalFilters) {
            Self.isWellFormedID($0.afterID)
        }
        guard (cursor.afterNameKey != nil) == normalized.ordersByName else { throw Self.differentFilters }
        return cursor
    }
}

/// Whatever issues page tokens: every store a listing service reads pages from.
public protocol PageTokenIssuer: Sendable {
    /// The codec of this store's page tokens.
    var pageTokens: PageTokenCodec { get }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }
}
