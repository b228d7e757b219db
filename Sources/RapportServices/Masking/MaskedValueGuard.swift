import RapportDomain
import RapportProto
import RapportWire

/// Refuses a create or update that would store a masked value: a caller that copies a masked read
/// (`masked_fields` non-empty) into a write would otherwise replace a real phone, email, national
/// id, date of birth or address with its display form and lose it.
enum MaskedValueGuard {
    /// INVALID_ARGUMENT naming the first of `fields` whose value in `profile` is in a masked form;
    /// nil when none is.
    static func failure(in profile: Rapport_V1_CustomerProfile, fields: some Sequence<ProfileField>) -> RPCError? {
        for field in fields where isMasked(field, in: profile) {
            let path = "profile.\(field.rawValue)"
            return RPCError(
                code: .invalidArgument,
                message: "\(path): is a masked value (as shown to callers without customers.read_personal_data); "
                    + "masked values cannot be written back: send the real value, or leave \(field.rawValue) out of update_mask",
                logSummary: "\(path: path): masked value written back")
        }
        return nil
    }

    private static func isMasked(_ field: ProfileField, in profile: Rapport_V1_CustomerProfile) -> Bool {
        switch field {
        case .phone: return profile.phone.contains(MaskedFormat.bullet)
        case .email: return profile.email.contains(MaskedFormat.bullet)
        case .nationalID: return profile.nationalID.contains(MaskedFormat.bullet)
        case .dateOfBirth:
            let date = profile.dateOfBirth
            return profile.hasDateOfBirth && date.year != 0 && date.month == 0 && date.day == 0
        case .address:
            let address = profile.address
            return [address.line1, address.line2, address.city, address.postalCode, address.countryCode]
                .contains { $0.contains(MaskedFormat.bullet) }
        default: return false
        }
    }
}
