import RapportAccess
import RapportProto
import RapportServer

/// A response message that holds personal data, directly or in the messages it contains, and
/// can replace it with what a caller without `customers.read_personal_data` may see.
///
/// `PersonalDataMaskingTests` walks the descriptor set: every message a method returns that
/// reaches a personal-data field must conform, so a new response type cannot forget it.
public protocol PersonalDataMasking {
    /// Replaces the personal data with its masked form (see `MaskedFormat`) and lists what it
    /// masked in the owning message's `masked_fields`.
    mutating func maskPersonalData()
}

extension CallContext {
    /// Whether the caller sees personal data unmasked. A call without a principal (possible
    /// only for open methods, which return no personal data) sees it masked.
    public var seesPersonalData: Bool {
        principal?.may(.readPersonalData) ?? false
    }
}

extension PersonalDataMasking {
    /// This message as the caller of `context` may see it.
    public func visible(to context: CallContext) -> Self {
        guard !context.seesPersonalData else { return self }
        var masked = self
        masked.maskPersonalData()
        return masked
    }
}
