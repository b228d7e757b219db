import Foundation
import RapportProto
import SwiftProtobuf

/// The proto names of enum values ("VALUE_TIER_AFFLUENT"), read once from the descriptor set the
/// daemon serves for reflection, so they are exactly what callers write in JSON or see in stubs.
enum ProtoEnumNames {
    /// Enum full name ("rapport.v1.ValueTier") → value number → value name.
    private static let table: [String: [Int: String]] = {
        guard let set = try? Google_Protobuf_FileDescriptorSet(serializedBytes: RapportCatalog.fileDescriptorSet) else {
            return [:]
        }
        var table: [String: [Int: String]] = [:]
        for file in set.file {
            for enumType in file.enumType {
                let names = enumType.value.map { (Int($0.number), $0.name) }
                // The first name wins for an aliased number, as protobuf's JSON does.
                table["\(file.package).\(enumType.name)"] = Dictionary(names) { first, _ in first }
            }
        }
        return table
    }()

    /// The name of `value` in the top-level enum `enumName`, or nil when the set does not have it.
    static func name(of value: some SwiftProtobuf.Enum, in enumName: String) -> String? {
        table[enumName]?[value.rawValue]
    }
}
