/// What eligibility looks at about a customer; built from a stored customer, or directly in tests.
public struct EligibilitySubject: Sendable, Hashable {
    public var dateOfBirth: CalendarDate?
    public var annualIncome: Money?
    public var assets: Money?
    public var valueTier: ValueTier?
    public var kycStatus: KYCStatus?
    public var riskLevel: RiskLevel?

    public init(
        dateOfBirth: CalendarDate? = nil, annualIncome: Money? = nil, assets: Money? = nil, valueTier: ValueTier? = nil,
        kycStatus: KYCStatus? = nil, riskLevel: RiskLevel? = nil
    ) {
        self.dateOfBirth = dateOfBirth
        self.annualIncome = annualIncome
        self.assets = assets
        self.valueTier = valueTier
        self.kycStatus = kycStatus
        self.riskLevel = riskLevel
    }

    /// The facts of a stored customer: profile fields and the computed value tier.
    public init(_ customer: Customer) {
        let profile = customer.profile
        self.init(
            dateOfBirth: profile.dateOfBirth, annualIncome: profile.annualIncome, assets: profile.assetsUnderManagement,
            valueTier: customer.segmentation.valueTier, kycStatus: profile.kycStatus, riskLevel: profile.riskLevel)
    }
}

/// One reason a customer may not be offered a product: a stable code and a sentence with the evidence.
public struct IneligibilityReason: Sendable, Hashable {
    /// Stable, machine-readable reason codes.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case productRetired, ageUnknown, tooYoung, tooOld
        case incomeUnknown, incomeCurrencyDiffers, incomeBelowMinimum
        case assetsUnknown, assetsCurrencyDiffers, assetsBelowMinimum
        case valueTierNotAllowed, kycStatusNotMet, riskLevelUnknown, riskLevelTooLow
    }

    public let code: Code
    /// For people, e.g. "aged 17 on 2024-06-15, below the minimum age of 18".
    public let sentence: String

    public init(_ code: Code, _ sentence: String) {
        self.code = code
        self.sentence = sentence
    }
}

/// Whether a customer may be offered a product and, when not, every reason why.
///
/// Unknown facts never pass a rule that needs them (an unknown income does not meet a minimum
/// income), and amounts in another currency than the rule's are not converted: the customer is
/// ineligible with a reason saying so, rather than offered a product on a guess.
public enum ProductEligibility {
    /// Every reason `subject` may not be offered `product` on `day`, in eligibility field order;
    /// empty when the product may be offered.
    public static func reasons(_ product: Product, for subject: EligibilitySubject, on day: CalendarDate) -> [IneligibilityReason] {
        var findings = Findings(writingSentences: true)
        check(product, for: subject, on: day, into: &findings)
        return findings.reasons
    }

    /// Whether `subject` may be offered `product` on `day`: the rules of `reasons`, without writing
    /// a sentence (a recommendation checks every product in the catalog on every request).
    public static func isEligible(_ product: Product, for subject: EligibilitySubject, on day: CalendarDate) -> Bool {
        var findings = Findings(writingSentences: false)
        check(product, for: subject, on: day, into: &findings)
        return !findings.failed
    }

    /// What the rules found: whether any failed, and the reasons when sentences are wanted.
    private struct Findings {
        let writingSentences: Bool
        private(set) var failed = false
        private(set) var reasons: [IneligibilityReason] = []

        init(writingSentences: Bool) {
            self.writingSentences = writingSentences
        }

        /// Records a failed rule; `sentence` is evaluated only when sentences are wanted.
        mutating func add(_ code: IneligibilityReason.Code, _ sentence: @autoclosure () -> String) {
            failed = true
            if writingSentences { reasons.append(IneligibilityReason(code, sentence())) }
        }
    }

    private static func check(_ product: Product, for subject: EligibilitySubject, on day: CalendarDate, into findings: inout Findings) {
        let rules = product.eligibility
        if !product.active {
            findings.add(.productRetired, "\(product.code) is retired")
        }
        checkAge(rules, subject.dateOfBirth, day, into: &findings)
        if let minimum = rules.minAnnualIncome {
            checkMoney(
                subject.annualIncome, minimum, what: "annual income",
                codes: (.incomeUnknown, .incomeCurrencyDiffers, .incomeBelowMinimum), into: &findings)
        }
        if let minimum = rules.minAssets {
            checkMoney(
                subject.assets, minimum, what: "assets under management",
                codes: (.assetsUnknown, .assetsCurrencyDiffers, .assetsBelowMinimum), into: &findings)
        }
        if !rules.allowedValueTiers.isEmpty, !(subject.valueTier.map { rules.allowedValueTiers.contains($0) } ?? false) {
            findings.add(
                .valueTierNotAllowed,
                "value tier \(subject.valueTier?.rawValue ?? "unknown") is not one of \(rules.allowedValueTiers.map(\.rawValue).joined(separator: ", "))")
        }
        if let required = rules.requiredKYCStatus, subject.kycStatus != required {
            findings.add(.kycStatusNotMet, "KYC status is \(subject.kycStatus?.rawValue ?? "unknown"), \(required.rawValue) is required")
        }
        if let rating = rules.riskRating {
            checkRisk(rating, subject.riskLevel, into: &findings)
        }
    }

    private static func checkAge(_ rules: EligibilityRules, _ dateOfBirth: CalendarDate?, _ day: CalendarDate, into findings: inout Findings) {
        guard rules.minAge != nil || rules.maxAge != nil else { return }
        guard let dateOfBirth else {
            return findings.add(.ageUnknown, "date of birth unknown; the product has an age range")
        }
        let age = day.fullYears(since: dateOfBirth)
        if let minAge = rules.minAge, age < minAge {
            findings.add(.tooYoung, "aged \(age) on \(day.isoString), below the minimum age of \(minAge)")
        } else if let maxAge = rules.maxAge, age > maxAge {
            findings.add(.tooOld, "aged \(age) on \(day.isoString), above the maximum age of \(maxAge)")
        }
    }

    private static func checkMoney(
        _ amount: Money?, _ minimum: Money, what: String,
        codes: (unknown: IneligibilityReason.Code, currency: IneligibilityReason.Code, below: IneligibilityReason.Code),
        into findings: inout Findings
    ) {
        guard let amount else {
            return findings.add(codes.unknown, "\(what) unknown; at least \(minimum.displayString) is required")
        }
        if amount.currencyCode != minimum.currencyCode {
            findings.add(
                codes.currency, "\(what) is in \(amount.currencyCode), the minimum of \(minimum.displayString) is in \(minimum.currencyCode)")
        } else if amount.minorUnits < minimum.minorUnits {
            findings.add(codes.below, "\(what) \(amount.displayString) is below the minimum of \(minimum.displayString)")
        }
    }

    private static func checkRisk(_ rating: RiskLevel, _ level: RiskLevel?, into findings: inout Findings) {
        guard let level else {
            return findings.add(.riskLevelUnknown, "risk level not assessed; the product is rated \(rating.rawValue)")
        }
        if level.rank < rating.rank {
            findings.add(.riskLevelTooLow, "risk level \(level.rawValue) is below the product's rating of \(rating.rawValue)")
        }
    }
}

extension RiskLevel {
    /// 0 for the most cautious level, rising with appetite for risk (the cases' declaration order).
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
