/// Configuration objects decode with every key optional (a file states only what it changes)
/// but refuse keys they do not know: a misspelt key would otherwise fall back to the default
/// without anyone noticing.
public enum StrictKeys {
    /// The container for `Keys`, after refusing any key of the object that is not one of them.
    public static func container<Keys: CodingKey & CaseIterable>(
        _ decoder: any Decoder, keyedBy keys: Keys.Type
    ) throws -> KeyedDecodingContainer<Keys> {
        let names = Keys.allCases.map(\.stringValue)
        let known = Set(names)
        let present = try decoder.container(keyedBy: AnyCodingKey.self).allKeys
        if let unknown = present.map(\.stringValue).filter({ !known.contains($0) }).sorted().first {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "unknown key '\(unknown)'; known keys: \(names.joined(separator: ", "))"))
        }
        return try decoder.container(keyedBy: keys)
    }
}

/// Any key of a JSON object, to see which keys a configuration actually holds.
private struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
