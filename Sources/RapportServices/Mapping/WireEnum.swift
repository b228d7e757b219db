import RapportDomain
import SwiftProtobuf

/// Domain enums list their cases in the order of their proto enum's values 1...N (0 is UNSPECIFIED),
/// so one mapping serves them all; `WireEnumTests` checks each pair still lines up.
protocol WireMappedEnum: CaseIterable, Equatable {}

extension WireMappedEnum {
    /// The case for a wire number; nil for 0 (unspecified).
    static func fromWire(_ number: Int, field: String) throws(ValidationFailure) -> Self? {
        guard number != 0 else { return nil }
        let cases = Array(allCases)
        guard number >= 1, number <= cases.count else {
            throw ValidationFailure(field: field, reason: "unknown value \(number)")
        }
        return cases[number - 1]
    }

    /// This case's wire number.
    var wireNumber: Int {
        (Array(Self.allCases).firstIndex(of: self) ?? -1) + 1
    }
}

extension Channel: WireMappedEnum {}
extension RiskLevel: WireMappedEnum {}
extension KYCStatus: WireMappedEnum {}
extension ValueTier: WireMappedEnum {}
extension LifecycleStage: WireMappedEnum {}
extension ConsentChannel: WireMappedEnum {}
extension ConsentPurpose: WireMappedEnum {}
extension ConsentSource: WireMappedEnum {}
extension InteractionKind: WireMappedEnum {}
extension ComplaintCategory: WireMappedEnum {}
extension ComplaintSeverity: WireMappedEnum {}
extension NpsDimension: WireMappedEnum {}
extension FollowUpReason: WireMappedEnum {}

extension SwiftProtobuf.Enum {
    /// Converts to the domain enum with the same value order.
    func domain<Value: WireMappedEnum>(_ type: Value.Type = Value.self, field: String) throws(ValidationFailure) -> Value? {
        try Value.fromWire(rawValue, field: field)
    }

    /// Converts to the domain enum, refusing UNSPECIFIED as well: `reason` says what to send.
    func required<Value: WireMappedEnum>(
        _ type: Value.Type = Value.self, field: String, reason: String = "is required"
    ) throws(ValidationFailure) -> Value {
        guard let value = try domain(Value.self, field: field) else { throw ValidationFailure(field: field, reason: reason) }
        return value
    }
}

extension WireMappedEnum {
    /// Converts to the proto enum with the same value order.
    func wire<Proto: SwiftProtobuf.Enum>(_ type: Proto.Type = Proto.self) -> Proto {
        Proto(rawValue: wireNumber) ?? Proto()
    }
}

extension Optional where Wrapped: WireMappedEnum {
    /// Nil becomes the proto enum's UNSPECIFIED.
    func wire<Proto: SwiftProtobuf.Enum>(_ type: Proto.Type = Proto.self) -> Proto {
        map { $0.wire(Proto.self) } ?? Proto()
    }
}
