import Crypto
import Foundation
import GRDB
import RapportDomain

/// The free text of an interaction (its summary and a survey's reason), sealed with the customer's
/// data key and bound to the interaction (`FieldCipher.place`). Columns written before encryption
/// hold TEXT and are read as they are; sealed values are BLOBs.
struct InteractionTexts {
    var summary: String
    var surveyReason: String?

    /// The texts of a row selected with `InteractionRecord.selection` (summary at 8, reason at 10).
    init(row: Row, id: String, customerID: String, _ db: Database) throws {
        var key: SymmetricKey?
        func text(_ index: Int, _ field: String) throws -> String? {
            let value: DatabaseValue = row[index]
            if value.isNull { return nil }
            guard case .blob(let sealed) = value.storage else { return String.fromDatabaseValue(value) }
            let opening = try key ?? Keyring.of(db).requireDataKey(for: customerID)
            key = opening
            let plain = try FieldCipher.open(sealed, key: opening, place: Self.place(customerID, id, field))
            return String(decoding: plain, as: UTF8.self)
        }
        summary = try text(8, "summary") ?? ""
        surveyReason = try text(10, "survey_reason")
    }

    /// The sealed values of `interaction`'s texts.
    static func seal(_ interaction: Interaction, key: SymmetricKey) throws -> (summary: Data, surveyReason: Data?) {
        let summary = try FieldCipher.seal(
            Data(interaction.summary.utf8), key: key, place: place(interaction.customerID, interaction.id, "summary"))
        let reason = try interaction.survey.map {
            try FieldCipher.seal(Data($0.reason.utf8), key: key, place: place(interaction.customerID, interaction.id, "survey_reason"))
        }
        return (summary, reason)
    }

    static func place(_ customerID: String, _ interactionID: String, _ field: String) -> Data {
        FieldCipher.place("interactions", "\(customerID)/\(interactionID)", field)
    }
}
