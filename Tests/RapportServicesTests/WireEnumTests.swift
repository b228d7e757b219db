import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf
import Testing

@testable import RapportServices

/// Domain enums map to proto enums by position (1...N); these checks fail if either side is reordered or grows alone.
@Suite("Domain and wire enums line up")
struct WireEnumTests {
    /// The proto case names (without UNSPECIFIED) must equal the domain case names, compared loosely.
    private func expectAligned<Domain: WireMappedEnum & RawRepresentable, Proto: SwiftProtobuf.Enum & CaseIterable>(
        _ domain: Domain.Type, _ proto: Proto.Type, renamed: [String: String] = [:]
    ) where Domain.RawValue == String {
        let wire = Proto.allCases.filter { $0.rawValue != 0 }.map { String(describing: $0).lowercased() }
        let local = Domain.allCases.map { (renamed[$0.rawValue] ?? $0.rawValue).lowercased() }
        #expect(wire == local, "\(Domain.self) vs \(Proto.self)")
        for value in Domain.allCases {
            let mapped: Proto = value.wire()
            #expect((try? mapped.domain(Domain.self, field: "x")) == value)
        }
    }

    @Test func everyPairLinesUp() {
        expectAligned(Channel.self, Rapport_V1_Channel.self)
        expectAligned(RiskLevel.self, Rapport_V1_RiskLevel.self)
        expectAligned(KYCStatus.self, Rapport_V1_KycStatus.self)
        expectAligned(ValueTier.self, Rapport_V1_ValueTier.self, renamed: ["privateBanking": "private"])
        expectAligned(LifecycleStage.self, Rapport_V1_LifecycleStage.self)
        expectAligned(ConsentChannel.self, Rapport_V1_ConsentChannel.self)
        expectAligned(ConsentPurpose.self, Rapport_V1_ConsentPurpose.self)
        expectAligned(ConsentSource.self, Rapport_V1_ConsentSource.self)
        expectAligned(InteractionKind.self, Rapport_V1_InteractionKind.self)
        expectAligned(ComplaintCategory.self, Rapport_V1_ComplaintCategory.self)
        expectAligned(ComplaintSeverity.self, Rapport_V1_ComplaintSeverity.self)
        expectAligned(NpsDimension.self, Rapport_V1_NpsDimension.self)
        expectAligned(FollowUpReason.self, Rapport_V1_FollowUpReason.self)
        expectAligned(ProductCategory.self, Rapport_V1_ProductCategory.self)
    }

    @Test func unknownNumbersAreRefusedNamingTheField() {
        #expect(throws: ValidationFailure(field: "profile.risk_level", reason: "unknown value 9")) {
            _ = try Rapport_V1_RiskLevel.UNRECOGNIZED(9).domain(RiskLevel.self, field: "profile.risk_level")
        }
        #expect((try? Rapport_V1_RiskLevel.unspecified.domain(RiskLevel.self, field: "x")) == .some(nil))
    }
}
