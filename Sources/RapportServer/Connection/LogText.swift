/// Caller-derived text (ids, method names) made safe for one log line: the one place it is done.
///
/// Control, format and separator characters, and the backslash itself, are written as escapes
/// (`\n`, `\u{2028}`), so a value can neither end a line nor forge the next one, and at most
/// `limit` characters are kept, the rest counted, so a 4 MiB id costs a few dozen bytes of log.
public enum LogText {
    /// The default number of characters kept: enough to recognise an id.
    public static let defaultLimit = 64

    /// `text` escaped and bounded for a log line.
    public static func escaped(_ text: String, limit: Int = defaultLimit) -> String {
        var result = ""
        var kept = 0
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard kept < limit else {
                var rest = scalar.utf8.count
                while let more = scalars.next() { rest += more.utf8.count }
                result += "…(+\(rest) bytes)"
                break
            }
            kept += 1
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                default:
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
