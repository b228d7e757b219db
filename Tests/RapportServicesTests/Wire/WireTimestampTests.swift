import Foundation
import RapportDomain
import RapportProto
import SwiftProtobuf
import Testing

@testable import RapportServices

@Suite("Wire timestamps: one checked conversion")
struct WireTimestampTests {
    private let now = Date(timeIntervalSince1970: 1_749_988_800)

    private func decision(seconds: Int64, nanos: Int32 = 0) -> Rapport_V1_ConsentDecision {
        .with {
            $0.channel = .email
            $0.purpose = .marketing
            $0.granted = true
            $0.source = .channel
            $0.recordedBy = "agent-1"
            $0.decidedAt = Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
        }
    }

    static let outOfRange: [(seconds: Int64, nanos: Int32)] = [
        (Int64.min, 0), (Int64.min + 1, 0), (Int64.max, 0), (-62_135_596_801, 0), (253_402_300_800, 0), (0, -1), (0, 1_000_000_000),
        (0, Int32.min), (0, Int32.max),
    ]

    @Test("A consent decision's decided_at outside a Timestamp's range is refused, naming the field", arguments: 0..<9)
    func outOfRange(_ index: Int) {
        let (seconds, nanos) = Self.outOfRange[index]
        do {
            _ = try ConsentDecision(wire: decision(seconds: seconds, nanos: nanos), field: "decisions[3]", now: now)
            Issue.record("seconds \(seconds), nanos \(nanos) was accepted")
        } catch {
            #expect(error.field == "decisions[3].decided_at")
        }
    }

    @Test("The range's edges map to the instants they name")
    func edges() throws {
        let first = try ConsentDecision(wire: decision(seconds: -62_135_596_800), field: "d", now: now)
        #expect(first.decidedAt == Date(timeIntervalSince1970: -62_135_596_800))
        let last = try ConsentDecision(wire: decision(seconds: 253_402_300_799, nanos: 999_999_999), field: "d", now: now)
        #expect(abs(last.decidedAt.timeIntervalSince1970 - 253_402_300_799.999_999_999) < 0.001)
        let ordinary = try ConsentDecision(wire: decision(seconds: 1_700_000_000, nanos: 250_000_000), field: "d", now: now)
        #expect(ordinary.decidedAt == Date(timeIntervalSince1970: 1_700_000_000.25))
    }

    /// swift-protobuf's `date` and `timeInterval` subtract without overflow checks; only
    /// `date(field:)` (TimestampMapping.swift) may turn a wire timestamp into an instant.
    @Test("No service or mapping source reads a Timestamp's unchecked date or timeInterval")
    func noUncheckedConversions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var offenders: [String] = []
        var scanned = 0
        for folder in ["Sources/RapportServices", "Sources/RapportProtoMapping"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard url.pathExtension == "swift", url.lastPathComponent != "TimestampMapping.swift" else { continue }
                scanned += 1
                let text = try String(contentsOf: url, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.range(of: #"\.(date|timeInterval)\b(?!\s*\()"#, options: .regularExpression) != nil
                    && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                {
                    offenders.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(scanned > 20)
        #expect(offenders.isEmpty, "use date(field:) instead: \(offenders)")
    }
}
