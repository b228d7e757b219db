extension CustomerProfile {
    /// Replaces each of `fields` with its value in `other`, leaving every other field as it is;
    /// this is how UpdateCustomer applies a field mask.
    public mutating func replace(_ fields: [ProfileField], from other: CustomerProfile) {
        for field in fields {
            switch field {
            case .fullName: fullName = other.fullName
            case .dateOfBirth: dateOfBirth = other.dateOfBirth
            case .phone: phone = other.phone
            case .email: email = other.email
            case .nationalID: nationalID = other.nationalID
            case .address: address = other.address
            case .preferredLanguage: preferredLanguage = other.preferredLanguage
            case .preferredChannel: preferredChannel = other.preferredChannel
            case .branchID: branchID = other.branchID
            case .relationshipManagerID: relationshipManagerID = other.relationshipManagerID
            case .occupation: occupation = other.occupation
            case .annualIncome: annualIncome = other.annualIncome
            case .assetsUnderManagement: assetsUnderManagement = other.assetsUnderManagement
            case .products: products = other.products
            case .riskLevel: riskLevel = other.riskLevel
            case .kycStatus: kycStatus = other.kycStatus
            }
        }
    }
}
