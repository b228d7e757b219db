import Crypto
import Foundation
import GRDB
import RapportDomain

/// The free text of an interaction (its summary and a survey's reason), sealed with the customer's
/// data key. Columns written before encryption hold TEXT and are read as they are; sealed values
/// are BLOBs.
///
/// New values are bound to the customer and field (`FieldCipher.customerBound`), so that `log`
/// seals them before the entry waits for the store's single writer, on the caller's thread, while
/// the id they get is assigned in the write transaction. Values sealed by migration v14 are bound
/// to their row (`FieldCipher.version`) and read as such.
struct InteractionTexts {
    var summary: String
    var surveyReason: String?

    /// An interaction's texts, sealed.
    struct Sealed: Sendable {
        /// The customer whose data key sealed them.
        var customerID: String
        var summary: Data
        var surveyReason: Data?
    }

    /// The texts of a row selected with `InteractionRecord.selection` (summary at 8, reason at 10).
    init(row: Row, id: String, customerID: String, _ db: Database) throws {
        var key: SymmetricKey?
        func text(_ index: Int, _ field: String) throws -> String? {
            let value: DatabaseValue = row[index]
            if value.isNull { return nil }
            guard case .blob(let sealed) = value.storage else { return String.fromDatabaseValue(value) }
            let opening = try key ?? Keyring.of(db).requireDataKey(for: customerID)
            key = opening
            let place = sealed.first == FieldCipher.version
                ? Self.place(customerID, id, field) : Self.customerPlace(customerID, field)
            let plain = try FieldCipher.open(sealed, key: opening, place: place)
            return String(decoding: plain, as: UTF8.self)
        }
        summary = try text(8, "summary") ?? ""
        surveyReason = try text(10, "survey_reason")
    }

    /// The sealed values of `interaction`'s texts.
    static func seal(_ interaction: Interaction, key: SymmetricKey) throws -> Sealed {
        let customerID = interaction.customerID
        let summary = try FieldCipher.seal(
            Data(interaction.summary.utf8), key: key, place: customerPlace(customerID, "summary"),
            format: FieldCipher.customerBound)
        let reason = try interaction.survey.map {
            try FieldCipher.seal(
                Data($0.reason.utf8), key: key, place: customerPlace(customerID, "survey_reason"),
                format: FieldCipher.customerBound)
        }
        return Sealed(customerID: customerID, summary: summary, surveyReason: reason)
    }

    /// The place of a value bound to its row (`FieldCipher.version`).
    static func place(_ customerID: String, _ interactionID: String, _ field: String) -> Data {
        FieldCipher.place("interactions", "\(customerID)/\(interactionID)", field)
    }

    /// The place of a value bound to its customer (`FieldCipher.customerBound`).
    static func customerPlace(_ customerID: String, _ field: String) -> Data {
        FieldCipher.place("interaction-texts", customerID, field)
    }
}
