/// The rules for one product holding: a code, when it was opened and, if so, when it was closed.
struct ProductChecks {
    let product: ProductHolding
    /// The holding's wire path, e.g. "profile.products[2]".
    let field: String
    let today: CalendarDate

    /// Product codes are the core-banking catalogue's keys, e.g. "CURRENT_ACCOUNT".
    static func isProductCode(_ code: String) -> Bool {
        (1...64).contains(code.unicodeScalars.count) && code.unicodeScalars.allSatisfy {
            TextRule.isASCIIUpperLetter($0) || TextRule.isASCIIDigit($0) || $0 == "_"
        }
    }

    func firstFailure() -> ValidationFailure? {
        if !Self.isProductCode(product.productCode) {
            return ValidationFailure(
                field: "\(field).product_code",
                reason: "must be 1 to 64 upper-case letters, digits or underscores such as CURRENT_ACCOUNT")
        }
        // Required: tenure and lifecycle stage are computed from when products were opened.
        guard let openedOn = product.openedOn else {
            return ValidationFailure(field: "\(field).opened_on", reason: "is required")
        }
        if let reason = DateRule.existence(openedOn) ?? DateRule.notFuture(openedOn, today: today) {
            return ValidationFailure(field: "\(field).opened_on", reason: reason)
        }
        guard let closedOn = product.closedOn else { return nil }
        if let reason = DateRule.existence(closedOn) ?? DateRule.notFuture(closedOn, today: today) {
            return ValidationFailure(field: "\(field).closed_on", reason: reason)
        }
        if closedOn < openedOn {
            return ValidationFailure(
                field: "\(field).closed_on",
                reason: "must not be before opened_on (\(closedOn.isoString) is before \(openedOn.isoString))")
        }
        return nil
    }
}
