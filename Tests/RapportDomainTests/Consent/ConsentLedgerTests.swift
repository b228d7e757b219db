import Foundation
import RapportDomain
import Testing

/// A decision at `seconds` after a fixed instant.
func decision(
    _ channel: ConsentChannel, _ purpose: ConsentPurpose, _ granted: Bool, at seconds: TimeInterval = 0,
    recordedBy: String = "staff-7", detail: String = "LON-001"
) -> ConsentDecision {
    ConsentDecision(
        channel: channel, purpose: purpose, granted: granted,
        decidedAt: Date(timeIntervalSince1970: 1_718_000_000 + seconds),
        source: .branch, sourceDetail: detail, recordedBy: recordedBy)
}

@Suite("Consent: the current state")
struct ConsentLedgerTests {
    @Test("The latest decision wins, whatever the order of the history")
    func latestWins() {
        let history = [
            decision(.sms, .marketing, false, at: 300),
            decision(.sms, .marketing, true, at: 100),
            decision(.sms, .marketing, true, at: 200),
        ]
        #expect(ConsentLedger.current(history) == [history[0]])
        #expect(ConsentLedger.current(history.reversed()) == [history[0]])
    }

    @Test("On equal times the decision later in the history wins")
    func tieBreak() {
        let granted = decision(.email, .profiling, true, at: 50)
        let withdrawn = decision(.email, .profiling, false, at: 50)
        #expect(ConsentLedger.current([granted, withdrawn]) == [withdrawn])
        #expect(ConsentLedger.current([withdrawn, granted]) == [granted])
    }

    @Test("One decision per channel and purpose, sorted by channel then purpose")
    func sorted() {
        let history = [
            decision(.post, .service, true),
            decision(.sms, .profiling, true),
            decision(.appPush, .marketing, false),
            decision(.sms, .marketing, true),
            decision(.email, .service, true),
            decision(.sms, .marketing, false, at: 10),
        ]
        let current = ConsentLedger.current(history)
        #expect(current.map { "\($0.channel).\($0.purpose)" } == [
            "sms.marketing", "sms.profiling", "email.service", "appPush.marketing", "post.service",
        ])
        #expect(current[0].granted == false)
    }

    @Test("No history, no current decisions")
    func empty() {
        #expect(ConsentLedger.current([]).isEmpty)
    }

    @Test("Without a decision nothing is allowed: marketing and profiling need an opt-in")
    func optIn() {
        for channel in ConsentChannel.allCases {
            for purpose in ConsentPurpose.allCases {
                #expect(!ConsentLedger.allows([], channel: channel, purpose: purpose))
            }
        }
        let current = ConsentLedger.current([decision(.sms, .marketing, true)])
        #expect(ConsentLedger.allows(current, channel: .sms, purpose: .marketing))
        #expect(!ConsentLedger.allows(current, channel: .email, purpose: .marketing))
        #expect(!ConsentLedger.allows(current, channel: .sms, purpose: .profiling))
    }

    @Test("A later withdrawal is honoured, also when asked with the full history")
    func withdrawal() {
        let history = [decision(.phone, .marketing, true, at: 0), decision(.phone, .marketing, false, at: 60)]
        #expect(!ConsentLedger.allows(ConsentLedger.current(history), channel: .phone, purpose: .marketing))
        #expect(!ConsentLedger.allows(history, channel: .phone, purpose: .marketing))
        #expect(ConsentLedger.allows(history + [decision(.phone, .marketing, true, at: 120)], channel: .phone, purpose: .marketing))
    }
}

@Suite("Consent: validating a request")
struct ConsentValidationTests {
    let now = Date(timeIntervalSince1970: 1_718_000_000)

    @Test("At least one and at most 50 decisions", arguments: [(0, false), (1, true), (50, true), (51, false)])
    func count(_ count: Int, _ valid: Bool) {
        let decisions = (0..<count).map { decision(.sms, .marketing, $0.isMultiple(of: 2), at: TimeInterval(-$0)) }
        let result = ConsentLedger.validate(decisions, now: now)
        #expect(valid ? result == nil : result?.field == "decisions")
    }

    @Test("The empty request says what is missing")
    func emptyReason() {
        #expect(ConsentLedger.validate([], now: now) == ValidationFailure(field: "decisions", reason: "must contain at least one consent decision"))
    }

    @Test("recorded_by is required and at most 128 characters", arguments: [
        ("staff-7", true), (repeated("r", 128), true), ("", false), ("   ", false), (repeated("r", 129), false), ("staff\n7", false),
    ])
    func recordedBy(_ recordedBy: String, _ valid: Bool) {
        let decisions = [decision(.sms, .marketing, true), decision(.email, .service, true, recordedBy: recordedBy)]
        let result = ConsentLedger.validate(decisions, now: now)
        #expect(valid ? result == nil : result?.field == "decisions[1].recorded_by")
    }

    @Test("source_detail is at most 128 characters", arguments: [("", true), (repeated("d", 128), true), (repeated("d", 129), false)])
    func sourceDetail(_ detail: String, _ valid: Bool) {
        let result = ConsentLedger.validate([decision(.post, .service, true, detail: detail)], now: now)
        #expect(valid ? result == nil : result?.field == "decisions[0].source_detail")
    }

    @Test("decided_at may be at most 5 minutes in the future", arguments: [
        (-86_400.0 * 365, true), (0.0, true), (300.0, true), (300.5, false), (3_600.0, false),
    ])
    func decidedAt(_ offset: TimeInterval, _ valid: Bool) {
        let result = ConsentLedger.validate([decision(.sms, .marketing, true, at: offset)], now: now)
        #expect(valid ? result == nil : result?.field == "decisions[0].decided_at")
    }
}
