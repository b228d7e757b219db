import RapportDomain
import SwiftProtobuf

/// Domain enums list their cases in the order of their proto enum's values 1...N (0 is UNSPECIFIED),
/// so one mapping serves them all; `WireEnumTests` checks each pair still lines up.
public protocol WireMappedEnum: CaseIterable, Equatable {}

extension WireMappedEnum {
    /// The case for a wire number; nil for 0 (unspecified).
    /// `field` is only evaluated for the failure, so a decode that succeeds builds no field path.
    public static func fromWire(_ number: Int, field: @autoclosure () -> String) throws(ValidationFailure) -> Self? {
        guard number != 0 else { return nil }
        let cases = allCases
        guard number >= 1, number <= cases.count else {
            throw ValidationFailure(field: field(), reason: "unknown value \(number)")
        }
        return cases[cases.index(cases.startIndex, offsetBy: number - 1)]
    }

    /// This case's wire number.
    public var wireNumber: Int {
        var number = 1
        for value in Self.allCases {
            if value == self { return number }
            number += 1
        }
        return 0
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
extension OfferOutcome: WireMappedEnum {}

extension SwiftProtobuf.Enum {
    /// Converts to the domain enum with the same value order.
    public func domain<Value: WireMappedEnum>(
        _ type: Value.Type = Value.self, field: @autoclosure () -> String
    ) throws(ValidationFailure) -> Value? {
        try Value.fromWire(rawValue, field: field())
    }

    /// Converts to the domain enum, refusing UNSPECIFIED as well: `reason` says what to send.
    public func required<Value: WireMappedEnum>(
        _ type: Value.Type = Value.self, field: @autoclosure () -> String, reason: String = "is required"
    ) throws(ValidationFailure) -> Value {
        guard let value = try domain(Value.self, field: field()) else { throw ValidationFailure(field: field(), reason: reason) }
        return value
    }
}

extension WireMappedEnum {
    /// Converts to the proto enum with the same value order.
    public func wire<Proto: SwiftProtobuf.Enum>(_ type: Proto.Type = Proto.self) -> Proto {
        Proto(rawValue: wireNumber) ?? Proto()
    }
}

extension Optional where Wrapped: WireMappedEnum {
    /// Nil becomes the proto enum's UNSPECIFIED.
    public func wire<Proto: SwiftProtobuf.Enum>(_ type: Proto.Type = Proto.self) -> Proto {
        map { $0.wire(Proto.self) } ?? Proto()
    }
}
