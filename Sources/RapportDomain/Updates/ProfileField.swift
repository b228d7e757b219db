/// A CustomerProfile field by its wire name, as UpdateCustomer's `update_mask` names it.
public enum ProfileField: String, CaseIterable, Sendable {
    case fullName = "full_name"
    case dateOfBirth = "date_of_birth"
    case phone
    case email
    case nationalID = "national_id"
    case address
    case preferredLanguage = "preferred_language"
    case preferredChannel = "preferred_channel"
    case branchID = "branch_id"
    case relationshipManagerID = "relationship_manager_id"
    case occupation
    case annualIncome = "annual_income"
    case assetsUnderManagement = "assets_under_management"
    case products
    case riskLevel = "risk_level"
    case kycStatus = "kyc_status"

    /// The fields named by an update mask's paths, in first-mention order without repeats.
    ///
    /// Fails (field "update_mask") on an empty mask, on an unknown path, and on a sub-path such as
    /// "address.city": fields are replaced whole, so that an update never leaves a half-old
    /// address or money amount with another currency's code. "external_ref" is not a profile
    /// field; callers handle it before calling this.
    public static func parse(_ paths: [String]) -> Result<[ProfileField], ValidationFailure> {
        guard !paths.isEmpty else {
            return .failure(ValidationFailure(field: "update_mask", reason: "update_mask must name at least one field"))
        }
        var fields: [ProfileField] = []
        for path in paths {
            if let field = ProfileField(rawValue: path) {
                if !fields.contains(field) { fields.append(field) }
                continue
            }
            let head = path.split(separator: ".", maxSplits: 1).first.map(String.init) ?? path
            if path.contains("."), let parent = ProfileField(rawValue: head) {
                return .failure(ValidationFailure(
                    field: "update_mask",
                    reason: "\"\(path)\" names part of a field; fields are replaced whole, so name \"\(parent.rawValue)\" instead"))
            }
            return .failure(ValidationFailure(
                field: "update_mask",
                reason: "\"\(path)\" is not a customer profile field; known fields: \(allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        return .success(fields)
    }
}
