import Foundation
import RapportProto
import RapportWire

/// A refused LogInteractions batch as one status: the code of the first failing item, a message
/// naming how many failed and the first failure, and every failure in a trailer.
///
/// The trailer `rapport-batch-errors-bin` holds a serialized `rapport.v1.BatchErrors` in
/// standard, padded base64 (the `-bin` suffix marks binary metadata, as in gRPC).
struct BatchRejection: Sendable, Equatable {
    /// The trailer carrying the serialized `BatchErrors`.
    static let trailerKey = "rapport-batch-errors-bin"
    /// The longest message kept per item, so the trailer stays a small multiple of the request
    /// even when messages quote long values the caller sent.
    static let itemMessageLimit = 1000

    /// The refused items, by index.
    private(set) var items: [Rapport_V1_BatchItemError] = []
    /// How many items the batch had.
    let total: Int

    init(total: Int) {
        self.total = total
    }

    /// Whether no item has been refused.
    var isEmpty: Bool { items.isEmpty }

    /// Records that item `index` would have failed alone with `error`. A message starting with a
    /// field path of the single-item request ("interaction.follow_up_of: …" or "request_id: …", as
    /// the store reports them) is rooted at the item ("items[2].interaction.follow_up_of: …").
    mutating func add(index: Int, _ error: RPCError) {
        let prefix = Self.path(index)
        var message = error.message
        if message.hasPrefix("interaction.") || message.hasPrefix("request_id: ") {
            message = "\(prefix).\(message)"
        }
        if message.count > Self.itemMessageLimit {
            message = String(message.prefix(Self.itemMessageLimit - 1)) + "…"
        }
        let item = Rapport_V1_BatchItemError.with {
            $0.index = Int32(clamping: index)
            $0.code = error.code.rawValue
            $0.message = message
        }
        let position = items.firstIndex { $0.index > item.index } ?? items.endIndex
        items.insert(item, at: position)
    }

    /// The status the call fails with; nil when no item was refused.
    var error: RPCError? {
        guard let first = items.first else { return nil }
        let path = Self.path(Int(first.index))
        let lead = first.message.hasPrefix(path) ? first.message : "\(path): \(first.message)"
        let errors = Rapport_V1_BatchErrors.with { $0.errors = items }
        // Serializing a message of strings and integers cannot fail; an empty trailer would decode as no errors.
        let bytes: [UInt8] = (try? errors.serializedBytes()) ?? []
        return RPCError(
            code: StatusCode(wireValue: first.code),
            message: "\(items.count) of \(total) items failed; nothing was recorded; first: \(lead)",
            trailers: [Self.trailerKey: Data(bytes).base64EncodedString()],
            logSummary: "\(count: items.count) of \(count: total) items failed; first: \(path: path)")
    }

    /// "items[3]", the item's path in LogInteractionsRequest.
    static func path(_ index: Int) -> String {
        "items[\(index)]"
    }
}
