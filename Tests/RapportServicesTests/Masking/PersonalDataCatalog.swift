import Foundation
import RapportProto
import RapportServices
import SwiftProtobuf

/// The personal-data fields of the protos, and a walk over any response guided by the descriptor
/// set the daemon serves, so that the tests find personal data wherever a message nests it.
enum PersonalDataCatalog {
    /// Every personal-data field (full proto name) and how its masked JSON value looks.
    static let fields: [String: @Sendable (Any) -> Bool] = [
        "rapport.v1.CustomerProfile.phone": { ($0 as? String)?.hasPrefix(MaskedFormat.hidden) == true },
        "rapport.v1.CustomerProfile.email": { ($0 as? String)?.contains(MaskedFormat.bullet) == true },
        "rapport.v1.CustomerProfile.national_id": { ($0 as? String)?.hasPrefix(MaskedFormat.hidden) == true },
        "rapport.v1.CustomerProfile.date_of_birth": { value in
            guard let date = value as? [String: Any] else { return false }
            return Set(date.keys).isSubset(of: ["year"])
        },
        "rapport.v1.CustomerProfile.address": { value in
            guard let address = value as? [String: Any] else { return false }
            return Set(address.keys).isSubset(of: ["line1", "city"]) && address["line1"] as? String == MaskedFormat.hidden
        },
        // Withheld: an empty string, which proto3 JSON leaves out, so any value present is unmasked.
        "rapport.v1.Interaction.summary": { _ in false },
        "rapport.v1.SurveyResponse.reason": { _ in false },
    ]

    /// String fields reviewed as not personal data (ids, codes, tokens, staff ids, the bank's
    /// own texts). The name stays visible to readers, as the issue lists it nowhere among the
    /// masked fields; occupation and segment reasons likewise.
    static let reviewedNotPersonal: Set<String> = [
        "rapport.v1.Address.city", "rapport.v1.Address.country_code", "rapport.v1.Address.line1",
        "rapport.v1.Address.line2", "rapport.v1.Address.postal_code",  // masked as a whole with `address`
        "rapport.v1.ConsentDecision.recorded_by", "rapport.v1.ConsentDecision.source_detail",
        "rapport.v1.ConsentDecision.acting_for",  // a staff member's id, like recorded_by
        // The audit trail holds ids, outcomes and addresses of calling services, never a customer's personal data.
        "rapport.v1.AuditEvent.principal", "rapport.v1.AuditEvent.method", "rapport.v1.AuditEvent.customer_ids",
        "rapport.v1.AuditEvent.outcome", "rapport.v1.AuditEvent.detail", "rapport.v1.AuditEvent.request_id",
        "rapport.v1.AuditEvent.peer", "rapport.v1.ListAuditEventsResponse.next_page_token",
        "rapport.v1.VerifyAuditChainResponse.reason",
        // An erasure receipt names the erasure and what was kept, never the person; key ids are digests.
        "rapport.v1.DeleteCustomerResponse.erasure_id", "rapport.v1.ErasureKeptFact.kind", "rapport.v1.ErasureKeptFact.description",
        "rapport.v1.RotateMasterKeyResponse.previous_key_id", "rapport.v1.RotateMasterKeyResponse.new_key_id",
        "rapport.v1.Customer.etag", "rapport.v1.Customer.external_ref", "rapport.v1.Customer.id",
        "rapport.v1.Customer.masked_fields", "rapport.v1.CustomerProfile.branch_id", "rapport.v1.CustomerProfile.full_name",
        "rapport.v1.CustomerProfile.occupation", "rapport.v1.CustomerProfile.preferred_language",
        "rapport.v1.CustomerProfile.relationship_manager_id", "rapport.v1.Interaction.customer_id",
        "rapport.v1.Interaction.employee_id", "rapport.v1.Interaction.follow_up_of", "rapport.v1.Interaction.id",
        "rapport.v1.Interaction.masked_fields", "rapport.v1.Interaction.product_code",
        "rapport.v1.ListCustomersResponse.next_page_token", "rapport.v1.ListFollowUpsResponse.next_page_token",
        "rapport.v1.ListInteractionsResponse.next_page_token", "rapport.v1.ListProductsResponse.next_page_token",
        "rapport.v1.Money.currency_code", "rapport.v1.NpsGroup.key", "rapport.v1.OfferTally.key",
        "rapport.v1.Product.code", "rapport.v1.Product.description", "rapport.v1.Product.etag", "rapport.v1.Product.name",
        "rapport.v1.ProductHolding.product_code", "rapport.v1.Recommendation.action",
        "rapport.v1.Recommendation.follow_up_of", "rapport.v1.Recommendation.product_code",
        "rapport.v1.Recommendation.title", "rapport.v1.RecommendationReason.code",
        "rapport.v1.RecommendationReason.sentence", "rapport.v1.Segmentation.lifecycle_reasons",
        "rapport.v1.Segmentation.value_tier_reasons",
    ]

    /// Message full name (no leading dot) → its descriptor.
    static let messages: [String: Google_Protobuf_DescriptorProto] = {
        guard let set = try? Google_Protobuf_FileDescriptorSet(serializedBytes: RapportCatalog.fileDescriptorSet) else { return [:] }
        var table: [String: Google_Protobuf_DescriptorProto] = [:]
        func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
            let name = "\(prefix).\(message.name)"
            table[name] = message
            for nested in message.nestedType { add(nested, prefix: name) }
        }
        for file in set.file {
            for message in file.messageType { add(message, prefix: file.package) }
        }
        return table
    }()

    /// Every method of every service the daemon serves.
    static var methods: [(path: String, responseType: String)] {
        RapportCatalog.services.flatMap { $0.methods.map { ($0.path, $0.responseType) } }
    }

    /// The message types reachable from `type` (itself included).
    static func reachable(from type: String) -> Set<String> {
        var seen: Set<String> = []
        var queue = [type]
        while let next = queue.popLast() {
            guard seen.insert(next).inserted, let message = messages[next] else { continue }
            for field in message.field where field.type == .message {
                queue.append(String(field.typeName.dropFirst()))
            }
        }
        return seen
    }

    /// The message types that hold a personal-data field directly.
    static var owners: Set<String> {
        Set(fields.keys.map { String($0[..<($0.lastIndex(of: ".") ?? $0.endIndex)]) })
    }

    /// Whether a response of `type` can carry personal data.
    static func carriesPersonalData(_ type: String) -> Bool {
        !reachable(from: type).isDisjoint(with: owners)
    }

    /// A personal-data value found in a response: its path and whether it was in masked form.
    struct Finding: CustomStringConvertible {
        let path: String
        let masked: Bool
        var description: String { "\(path) (\(masked ? "masked" : "unmasked"))" }
    }

    /// Every personal-data value in `message`, wherever it nests.
    static func findings(in message: any SwiftProtobuf.Message) throws -> [Finding] {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        let json = try JSONSerialization.jsonObject(with: Data(message.jsonString(options: options).utf8))
        var found: [Finding] = []
        walk(json, type: type(of: message).protoMessageName, path: "", into: &found)
        return found
    }

    private static func walk(_ value: Any, type: String, path: String, into found: inout [Finding]) {
        guard let object = value as? [String: Any], let message = messages[type] else { return }
        for field in message.field {
            guard let fieldValue = object[field.name] else { continue }
            let fieldPath = path.isEmpty ? field.name : "\(path).\(field.name)"
            let values = (fieldValue as? [Any]).map { $0 } ?? [fieldValue]
            for (index, item) in values.enumerated() {
                let itemPath = fieldValue is [Any] ? "\(fieldPath)[\(index)]" : fieldPath
                if let isMasked = fields["\(type).\(field.name)"] {
                    found.append(Finding(path: itemPath, masked: isMasked(item)))
                } else if field.type == .message {
                    walk(item, type: String(field.typeName.dropFirst()), path: itemPath, into: &found)
                }
            }
        }
    }
}
