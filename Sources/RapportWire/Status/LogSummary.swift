/// What the daemon's log says about a failed call, beside its status code: built only from
/// literal text, field paths and numbers, never from the text a caller sent, so a request can
/// neither forge a log line nor put its ids, names, dates of birth or amounts into the log.
///
/// Only string literals convert to it; interpolations take a field path (`\(path: "profile.email")`,
/// reduced to the characters a path has and bounded), a number (`\(count: limit)`) or another summary:
///
///     let summary: LogSummary = "\(path: failure.field): invalid"
///
/// Numbers are for limits and counts the daemon chose or counted, never for a value the caller sent.
public struct LogSummary: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The longest summary, in characters; longer ones end with "…".
    public static let maxLength = 200
    /// The longest field path kept.
    public static let maxPathLength = 100

    public let description: String

    public init(stringLiteral value: StaticString) {
        description = Self.bounded("\(value)")
    }

    public init(stringInterpolation: Interpolation) {
        description = Self.bounded(stringInterpolation.text)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            text += "\(literal)"
        }

        /// A field path such as "items[3].interaction.occurred_at": letters, digits, '_', '.',
        /// '[' and ']' are kept, anything else becomes '?', and at most `maxPathLength` characters.
        public mutating func appendInterpolation(path: String) {
            var kept = ""
            for scalar in path.unicodeScalars.prefix(LogSummary.maxPathLength) {
                let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || scalar == "_" || scalar == "." || scalar == "[" || scalar == "]")
                kept.unicodeScalars.append(allowed ? scalar : "?")
            }
            if path.unicodeScalars.count > LogSummary.maxPathLength { kept += "…" }
            text += kept
        }

        /// A count or limit of the daemon's own.
        public mutating func appendInterpolation(count: Int) {
            text += String(count)
        }

        /// Another summary, as it reads.
        public mutating func appendInterpolation(_ summary: LogSummary) {
            text += summary.description
        }
    }

    private static func bounded(_ text: String) -> String {
        text.count <= maxLength ? text : String(text.prefix(maxLength - 1)) + "…"
    }
}
