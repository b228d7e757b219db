/// Two product codes: an unordered pair (`first < second`) in co-holding counts, or `from → to`
/// in next-product counts.
public struct ProductPair: Sendable, Hashable {
    public var first: String
    public var second: String

    public init(_ first: String, _ second: String) {
        self.first = first
        self.second = second
    }

    /// The unordered pair of two different codes, smaller code first, so each pair has one key.
    public static func unordered(_ a: String, _ b: String) -> ProductPair {
        a < b ? ProductPair(a, b) : ProductPair(b, a)
    }
}
