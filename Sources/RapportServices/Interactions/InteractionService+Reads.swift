import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportStore
import RapportWire

extension InteractionService {
    public func listInteractions(
        _ request: Rapport_V1_ListInteractionsRequest, context: CallContext
    ) async throws -> Rapport_V1_ListInteractionsResponse {
        let customerID = request.customerID
        guard !customerID.isEmpty else {
            throw RPCError(
                code: .invalidArgument, message: "customer_id: is required: whose log to list", logSummary: "customer_id: is required")
        }
        let pageSize = try PageSize.resolve(request.pageSize)
        let filter = try invalidArgument { () throws(ValidationFailure) in try request.filter() }
        let page = try await errors.map { () async throws -> InteractionPage in
            let cursor = request.pageToken.isEmpty
                ? nil : try store.pageTokens.cursor(request.pageToken, customerID: customerID, filter: filter)
            return try await store.interactions(customerID: customerID, filter: filter, pageSize: pageSize, after: cursor)
        }
        if !page.interactions.isEmpty { audit.read(context, customerIDs: [customerID]) }
        return Rapport_V1_ListInteractionsResponse.with {
            $0.interactions = page.interactions.map(\.wire)
            $0.nextPageToken = page.next.map { store.pageTokens.token(for: $0, customerID: customerID, filter: filter) } ?? ""
        }.visible(to: context)
    }

    /// Streams every match in id order, one store chunk at a time: the writer waits while the
    /// client is slow, and a chunk is read only once the previous one has been sent, so memory
    /// stays at one chunk however many rows match. Ends when the call is cancelled or its
    /// deadline passes (the writer or the cancellation check throws).
    public func exportInteractions(
        _ request: Rapport_V1_ExportInteractionsRequest, writer: ResponseWriter<Rapport_V1_Interaction>, context: CallContext
    ) async throws {
        let filter = try invalidArgument { () throws(ValidationFailure) in try request.filter() }
        guard request.afterID.utf8.count <= Self.maxAfterIDLength else {
            throw RPCError(
                code: .invalidArgument,
                message: "after_id must be an interaction id (at most \(Self.maxAfterIDLength) bytes): the last id received",
                logSummary: "after_id: too long")
        }
        let masks = !context.seesPersonalData
        var after = request.afterID.isEmpty ? nil : request.afterID
        var sent = 0
        while true {
            try Task.checkCancellation()
            let chunk = try await errors.map { [after] in
                try await store.exportChunk(filter: filter, afterID: after, limit: Self.exportChunkSize)
            }
            // Recorded before it is sent: a chunk cut short by a slow client still counts as read.
            audit.read(context, customerIDs: chunk.map(\.customerID).uniqued())
            for interaction in chunk {
                var wire = interaction.wire
                if masks { wire.maskPersonalData() }
                try await writer.send(wire)
            }
            sent += chunk.count
            guard chunk.count == Self.exportChunkSize, let last = chunk.last else { break }
            after = last.id
        }
        context.logger.debug("export finished", metadata: ["interactions": "\(sent)"])
    }

    /// The longest `after_id` accepted; interaction ids are 30 characters.
    static let maxAfterIDLength = 256
}
