import RapportProto

/// Withholds an interaction's free text: its summary (for a complaint, the complaint itself) and
/// a survey's stated reason. The facts (kind, channel, times, score, complaint category) stay.
extension Rapport_V1_Interaction: PersonalDataMasking {
    /// `masked_fields` paths, relative to `rapport.v1.Interaction`.
    public enum MaskedPath {
        public static let summary = "summary"
        public static let surveyReason = "survey.reason"
    }

    public mutating func maskPersonalData() {
        var masked: [String] = []
        if !summary.isEmpty {
            summary = ""
            masked.append(MaskedPath.summary)
        }
        if hasSurvey && !survey.reason.isEmpty {
            survey.reason = ""
            masked.append(MaskedPath.surveyReason)
        }
        maskedFields = masked
    }
}

extension Rapport_V1_FollowUpItem: PersonalDataMasking {
    public mutating func maskPersonalData() {
        if hasInteraction { interaction.maskPersonalData() }
    }
}

extension Rapport_V1_ListInteractionsResponse: PersonalDataMasking {
    public mutating func maskPersonalData() {
        for index in interactions.indices { interactions[index].maskPersonalData() }
    }
}

extension Rapport_V1_LogInteractionsResponse: PersonalDataMasking {
    public mutating func maskPersonalData() {
        for index in interactions.indices { interactions[index].maskPersonalData() }
    }
}

extension Rapport_V1_ListFollowUpsResponse: PersonalDataMasking {
    public mutating func maskPersonalData() {
        for index in items.indices { items[index].maskPersonalData() }
    }
}

extension Rapport_V1_RecordOfferOutcomeResponse: PersonalDataMasking {
    public mutating func maskPersonalData() {
        if hasInteraction { interaction.maskPersonalData() }
    }
}
