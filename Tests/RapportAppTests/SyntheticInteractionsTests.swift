import Foundation
import RapportApp
import RapportDomain
import Testing

@Suite("Synthetic interaction histories")
struct SyntheticInteractionsTests {
    static let book = SyntheticBook(count: 3000)

    @Test func theSameSeedGivesTheSameHistoriesAndAnotherSeedOthers() {
        let again = SyntheticBook(count: 40)
        let other = SyntheticBook(seed: 2, count: 40)
        for index in 0..<40 {
            #expect(again.members[index].history == Self.book.members[index].history, "customer \(index)")
        }
        #expect((0..<40).contains { other.members[$0].history != again.members[$0].history })
    }

    @Test func historiesHoldTheirPlannedCountAndAverageTheRequestedOne() {
        let members = Self.book.members
        for member in members {
            let plan = Self.book.generator.plan(member.index, profile: member.profile, joinedDaysAgo: member.joinedDaysAgo)
            #expect(member.history.interactions.count == plan.count, "customer \(member.index)")
        }
        let average = Double(members.reduce(0) { $0 + $1.history.interactions.count }) / Double(members.count)
        #expect((10.8...13.2).contains(average), "average \(average)")
        #expect(SyntheticBook(count: 50, average: 0).members.allSatisfy { $0.history.interactions.isEmpty })
    }

    @Test func everyInteractionIsValidWithinTheCustomersTenureAndNeverInTheFuture() throws {
        let threeYearsAgo = SyntheticBook.now.addingTimeInterval(-3 * 365 * 86_400 - 86_400)
        for (member, interaction) in Self.book.interactions {
            #expect(throws: Never.self) {
                try InteractionValidator.validate(interaction, now: SyntheticBook.now, policy: .defaults)
            }
            #expect(interaction.occurredAt <= SyntheticBook.now)
            #expect(interaction.occurredAt >= member.joined, "customer \(member.index) joined \(member.joinedDaysAgo) days ago")
            #expect(interaction.occurredAt >= threeYearsAgo)
            #expect(interaction.summary.count <= 80)
            if interaction.channel == .branch || interaction.channel == .relationshipManager {
                let hour = Int(interaction.occurredAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) / 3_600)
                #expect((9...17).contains(hour), "\(interaction.channel) contact at \(hour):00")
            }
        }
        for member in Self.book.members {
            let times = member.history.interactions.map(\.occurredAt)
            #expect(times == times.sorted(), "customer \(member.index) is oldest first")
        }
    }

    @Test func marketingOnlyWhereConsentAllowsAndManagerVisitsOnlyForManagedCustomers() {
        for (member, interaction) in Self.book.interactions {
            #expect(MarketingConsent.verdict(for: interaction, consents: member.history.consents).isAllowed)
            if interaction.channel == .relationshipManager {
                #expect(!member.profile.relationshipManagerID.isEmpty)
            }
        }
        let consented = Self.book.members.filter { $0.history.consents.contains { $0.purpose == .marketing && $0.granted } }
        #expect(Double(consented.count) / Double(Self.book.members.count) > 0.7)
        #expect(Self.book.interactions.contains { $0.interaction.kind == .offerAccepted })
        #expect(Self.book.interactions.contains { $0.interaction.kind == .marketingContact })
    }

    /// Offers name a catalog product the customer does not hold and is eligible for, as a bank's
    /// would (a mass-market customer is never offered the Premier account, say).
    @Test func offersRespectTheCatalogsEligibility() {
        let catalog = Dictionary(SeedCatalog.products.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var offers = 0
        for (member, interaction) in Self.book.interactions where interaction.kind == .offerPresented {
            offers += 1
            let subject = EligibilitySubject(
                dateOfBirth: member.profile.dateOfBirth, annualIncome: member.profile.annualIncome,
                assets: member.profile.assetsUnderManagement, valueTier: member.tier,
                kycStatus: member.profile.kycStatus, riskLevel: member.profile.riskLevel)
            guard let product = catalog[interaction.productCode] else {
                Issue.record("offer of \(interaction.productCode), not in the catalog")
                continue
            }
            #expect(ProductEligibility.isEligible(product, for: subject, on: SyntheticBook.today),
                    "customer \(member.index) offered \(product.code): \(ProductEligibility.reasons(product, for: subject, on: SyntheticBook.today).map(\.sentence))")
        }
        #expect(offers > 100)
    }

    @Test func theAppAndOnlineBankingCarryMostContacts() {
        var channels: [Channel: Int] = [:]
        var kinds: [InteractionKind: Int] = [:]
        for (_, interaction) in Self.book.interactions {
            channels[interaction.channel, default: 0] += 1
            kinds[interaction.kind, default: 0] += 1
        }
        let ranked = channels.sorted { $0.value > $1.value }.map(\.key)
        #expect(Set(ranked.prefix(2)) == [.mobileApp, .web])
        #expect(Set(channels.keys) == Set(Channel.allCases))
        // Every kind but ignored offers: the seed leaves an unanswered offer unanswered.
        #expect(Set(kinds.keys) == Set(InteractionKind.allCases).subtracting([.offerIgnored]))
        #expect(kinds[.transaction, default: 0] > kinds[.complaint, default: 0] * 5)
    }

    @Test func followUpsAnswerEarlierItemsMostlyWithinTheSLAAndSomeStayOpen() {
        var onTime = 0, late = 0, answered = Set<String>(), needing = 0
        for member in Self.book.members {
            let drafts = member.history.interactions
            for (position, draft) in drafts.enumerated() {
                if draft.kind == .complaint || (draft.survey?.category == .detractor) { needing += 1 }
                guard let target = draft.followUpOf else { continue }
                #expect(draft.kind == .followUp)
                #expect(target < position)
                let answeredItem = drafts[target]
                #expect(answeredItem.kind == .complaint || answeredItem.survey?.category == .detractor)
                #expect(answered.insert("\(member.index)-\(target)").inserted, "one follow-up per item")
                if draft.occurredAt.timeIntervalSince(answeredItem.occurredAt) <= 86_400 { onTime += 1 } else { late += 1 }
            }
        }
        let open = needing - answered.count
        #expect(Double(onTime) / Double(onTime + late) > 0.75)
        #expect(late > 0)
        #expect(open > 0 && Double(open) / Double(needing) < 0.3, "\(open) of \(needing) open")
    }

    @Test func npsScoresSplitAsDesignedAndBetterServedTiersScoreHigher() {
        let overall = SyntheticBook.npsShares(Self.book.members)
        #expect((0.39...0.51).contains(overall.promoters), "\(overall)")
        #expect((0.25...0.35).contains(overall.passives), "\(overall)")
        #expect((0.19...0.31).contains(overall.detractors), "\(overall)")
        let mass = SyntheticBook.npsShares(Self.book.members.filter { $0.tier == .mass })
        let served = SyntheticBook.npsShares(Self.book.members.filter { $0.tier != .mass })
        #expect(served.promoters > mass.promoters)
    }

    @Test func decemberAndJanuaryAreBusierThanAugust() {
        var perMonth = [Int](repeating: 0, count: 13)
        for (_, interaction) in Self.book.interactions {
            perMonth[CalendarDate(utcDayOf: interaction.occurredAt).month] += 1
        }
        // Three full Decembers, Januaries and Augusts lie in the three years before 23 November 2026.
        #expect(Double(perMonth[12] + perMonth[1]) / 2 > Double(perMonth[8]) * 1.4, "\(perMonth)")
    }

    @Test func someCustomersDeclineAndNewOnesStartWithTheirAccountOpening() throws {
        let segmenter = Segmenter(policy: .defaults)
        var stages: [LifecycleStage: Int] = [:]
        var decliningPattern = 0, seenDeclining = 0
        for member in Self.book.members {
            let activity = member.history.activity(today: SyntheticBook.today)
            let stage = segmenter.segment(
                member.profile, customerSince: member.joined, activity: activity, today: SyntheticBook.today
            ).lifecycleStage
            stages[stage, default: 0] += 1
            if member.history.plan.pattern == .new {
                let first = try #require(member.history.interactions.first)
                // The account opening names the account the customer opened first.
                let opened = member.profile.products.min { ($0.openedOn ?? SyntheticBook.today) < ($1.openedOn ?? SyntheticBook.today) }
                #expect(first.kind == .serviceRequest && first.productCode == opened?.productCode)
                #expect(["CURRENT_ACCOUNT", "PREMIUM_CURRENT_ACCOUNT", "STUDENT_ACCOUNT"].contains(first.productCode))
                #expect(SyntheticBook.now.timeIntervalSince(first.occurredAt) < 180 * 86_400)
            }
            if member.history.plan.pattern == .declining {
                decliningPattern += 1
                if stage == .decline { seenDeclining += 1 }
            }
        }
        #expect(Double(seenDeclining) >= Double(decliningPattern) * 0.8, "\(seenDeclining) of \(decliningPattern)")
        let declining = Double(stages[.decline, default: 0]) / Double(Self.book.members.count)
        #expect((0.03...0.2).contains(declining), "\(stages)")
        #expect(stages[.acquisition, default: 0] > 0)
    }
}
