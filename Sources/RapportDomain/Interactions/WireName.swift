/// The proto enum value names of domain enums, for messages: callers write those names (in JSON,
/// or as constants in generated clients), so a message that names them says exactly what to send.
enum WireName {
    /// "INTERACTION_KIND_SURVEY_RESPONSE" for prefix "INTERACTION_KIND" and raw value "surveyResponse".
    /// Relies on the domain raw values being the proto names in camelCase, as they all are.
    static func of(_ rawValue: String, prefix: String) -> String {
        var name = prefix + "_"
        for character in rawValue {
            if character.isUppercase { name.append("_") }
            name += character.uppercased()
        }
        return name
    }
}

extension InteractionKind {
    /// The proto name, e.g. "INTERACTION_KIND_OFFER_PRESENTED".
    var wireName: String { WireName.of(rawValue, prefix: "INTERACTION_KIND") }
}

extension Channel {
    /// The proto name, e.g. "CHANNEL_CALL_CENTRE".
    var wireName: String { WireName.of(rawValue, prefix: "CHANNEL") }
}

extension ConsentChannel {
    /// The proto name, e.g. "CONSENT_CHANNEL_APP_PUSH".
    var wireName: String { WireName.of(rawValue, prefix: "CONSENT_CHANNEL") }
}
