/// A pragmatic email address check: the shape that mail systems accept, not every RFC 5322
/// curiosity. Quoted local parts and IP-literal domains are refused because no bank
/// customer needs them and they complicate every consumer of the address.
enum EmailRule {
    static let example = "must be a well-formed email address such as name@example.com"

    /// A reason when `address` is not well formed, or nil when it is.
    /// - exactly one "@";
    /// - local part 1–64 bytes, printable, no whitespace;
    /// - domain with at least one dot; labels 1–63 of [A-Za-z0-9-], not starting or ending with "-";
    /// - at most 254 bytes in all (the SMTP path limit).
    static func check(_ address: String) -> String? {
        if address.utf8.count > 254 { return "\(example) (at most 254 characters)" }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "\(example) (exactly one @)" }
        let local = parts[0]
        let domain = parts[1]
        if local.isEmpty { return "\(example) (nothing before the @)" }
        if local.utf8.count > 64 { return "\(example) (at most 64 characters before the @)" }
        let localOK = local.unicodeScalars.allSatisfy { TextRule.isPrintable($0) && !$0.properties.isWhitespace }
        if !localOK { return "\(example) (no spaces or control characters)" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count < 2 { return "\(example) (the domain needs a dot)" }
        for label in labels {
            if let problem = labelProblem(label) { return "\(example) (\(problem))" }
        }
        return nil
    }

    private static func labelProblem(_ label: Substring) -> String? {
        if label.isEmpty { return "the domain has an empty label" }
        if label.utf8.count > 63 { return "domain labels are at most 63 characters" }
        let allowed = label.unicodeScalars.allSatisfy {
            TextRule.isASCIILetter($0) || TextRule.isASCIIDigit($0) || $0 == "-"
        }
        if !allowed { return "the domain may contain only letters, digits, hyphens and dots" }
        if label.hasPrefix("-") || label.hasSuffix("-") { return "domain labels must not start or end with a hyphen" }
        return nil
    }
}
