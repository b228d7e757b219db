import RapportProto

/// Masks a customer's contact details, national id, date of birth and address; the name, the
/// segments and the holdings stay (the reader role works with them).
extension Rapport_V1_Customer: PersonalDataMasking {
    /// `masked_fields` paths, relative to `rapport.v1.Customer`.
    public enum MaskedPath {
        public static let phone = "profile.phone"
        public static let email = "profile.email"
        public static let nationalID = "profile.national_id"
        public static let dateOfBirth = "profile.date_of_birth"
        public static let address = "profile.address"
    }

    public mutating func maskPersonalData() {
        guard hasProfile else { return }
        var masked: [String] = []
        if !profile.phone.isEmpty {
            profile.phone = MaskedFormat.phone(profile.phone)
            masked.append(MaskedPath.phone)
        }
        if !profile.email.isEmpty {
            profile.email = MaskedFormat.email(profile.email)
            masked.append(MaskedPath.email)
        }
        if !profile.nationalID.isEmpty {
            profile.nationalID = MaskedFormat.nationalID(profile.nationalID)
            masked.append(MaskedPath.nationalID)
        }
        if profile.hasDateOfBirth {
            // The year only: month and day 0, which no stored date has.
            let year = profile.dateOfBirth.year
            profile.dateOfBirth = .with { $0.year = year }
            masked.append(MaskedPath.dateOfBirth)
        }
        if profile.hasAddress {
            // line1 carries the bullets so that the address reads as masked, and an update
            // copying it back is refused rather than replacing the real address with a city.
            let city = profile.address.city
            profile.address = .with {
                $0.line1 = MaskedFormat.hidden
                $0.city = city
            }
            masked.append(MaskedPath.address)
        }
        maskedFields = masked
    }
}

extension Rapport_V1_ListCustomersResponse: PersonalDataMasking {
    public mutating func maskPersonalData() {
        for index in customers.indices { customers[index].maskPersonalData() }
    }
}

extension Rapport_V1_CustomerOverview: PersonalDataMasking {
    public mutating func maskPersonalData() {
        if hasCustomer { customer.maskPersonalData() }
        for index in recentInteractions.indices { recentInteractions[index].maskPersonalData() }
        for index in openFollowUps.indices { openFollowUps[index].maskPersonalData() }
        if hasLatestSurvey { latestSurvey.maskPersonalData() }
    }
}
