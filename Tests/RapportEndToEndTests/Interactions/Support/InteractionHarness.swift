import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

/// One interaction test's world: an in-process daemon reading a `TestClock`, a connected client,
/// and the calls the tests repeat (customers, consent, reading a whole log or queue).
struct InteractionHarness: Sendable {
    let daemon: TestDaemon
    let client: RapportClient
    let clock: TestClock

    /// Starts the daemon (nil settings keep the defaults; nil `dataDirectory` is a fresh one),
    /// runs `body`, closes the client; what `body` returned.
    @discardableResult
    static func run<Value: Sendable>(
        maxBatchSize: Int? = nil, followUpSLASeconds: Int? = nil, dataDirectory: String? = nil, clock: TestClock = TestClock(),
        sweepCheckSeconds: Double? = nil,
        _ body: @Sendable (InteractionHarness) async throws -> Value
    ) async throws -> Value {
        try await TestDaemon.run(configure: {
            $0.clock = { clock.now }
            if let dataDirectory { $0.dataDirectory = dataDirectory }
            if let sweepCheckSeconds { $0.segmentSweep.checkIntervalSeconds = sweepCheckSeconds }
            if let maxBatchSize { $0.interactions.maxBatchSize = maxBatchSize }
            if let followUpSLASeconds { $0.interactions.followUpSLASeconds = followUpSLASeconds }
            // Recommendations read the statistics of the last write, not a snapshot up to a second old.
            $0.recommendations.statisticsMaxAgeMilliseconds = 0
        }) { daemon in
            let client = try await daemon.makeClient()
            do {
                let value = try await body(InteractionHarness(daemon: daemon, client: client, clock: clock))
                await client.close()
                return value
            } catch {
                await client.close()
                throw error
            }
        }
    }

    var interactions: Rapport_V1_InteractionService.Client { client.interactions }

    func customer(name: String = "Ada Lovelace", branch: String = "0042", externalRef: String = "") async throws -> Rapport_V1_Customer {
        try await client.customers.createCustomer(
            CustomerFixtures.create(CustomerFixtures.profile(name: name, branch: branch), externalRef: externalRef))
    }

    func log(_ interaction: Rapport_V1_Interaction, requestID: String = "") async throws -> Rapport_V1_Interaction {
        try await interactions.logInteraction(InteractionFixtures.request(interaction, requestID: requestID))
    }

    /// Logs in one LogInteractions call; the recorded interactions in order.
    func logBatch(_ batch: [Rapport_V1_Interaction]) async throws -> [Rapport_V1_Interaction] {
        try await interactions.logInteractions(InteractionFixtures.batch(batch)).interactions
    }

    /// Records one consent decision (marketing unless told otherwise), decided a second after the
    /// daemon's "now" unless told otherwise: a decision may not predate the customer, nor lie
    /// further back than the daemon's backdating window.
    func setConsent(
        _ customerID: String, _ channel: Rapport_V1_ConsentChannel, purpose: Rapport_V1_ConsentPurpose = .marketing,
        granted: Bool, at decided: Int64? = nil
    ) async throws {
        let seconds = decided ?? Int64(clock.now.timeIntervalSince1970) + 1
        _ = try await client.customers.setConsent(.with {
            $0.customerID = customerID
            $0.decisions = [.with {
                $0.channel = channel
                $0.purpose = purpose
                $0.granted = granted
                $0.decidedAt = Google_Protobuf_Timestamp(seconds: seconds)
                $0.source = .branch
                $0.sourceDetail = "0042"
                $0.recordedBy = "staff-17"
            }]
        })
    }

    /// Every page of a ListInteractions query, in order.
    func listAll(_ request: Rapport_V1_ListInteractionsRequest) async throws -> [Rapport_V1_Interaction] {
        var request = request
        var all: [Rapport_V1_Interaction] = []
        repeat {
            let page = try await interactions.listInteractions(request)
            all += page.interactions
            request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        return all
    }

    /// One customer's whole log, newest first.
    func history(of customerID: String) async throws -> [Rapport_V1_Interaction] {
        try await listAll(.with { $0.customerID = customerID })
    }

    /// Every message of an export, in order.
    func export(_ request: Rapport_V1_ExportInteractionsRequest = .init()) async throws -> [Rapport_V1_Interaction] {
        var received: [Rapport_V1_Interaction] = []
        for try await interaction in try await interactions.exportInteractions(request) {
            received.append(interaction)
        }
        return received
    }

    /// Every page of the follow-up queue, in order.
    func followUps(_ request: Rapport_V1_ListFollowUpsRequest = .init()) async throws -> [Rapport_V1_FollowUpItem] {
        var request = request
        var all: [Rapport_V1_FollowUpItem] = []
        repeat {
            let page = try await interactions.listFollowUps(request)
            all += page.items
            request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        return all
    }
}

extension RPCError {
    /// The per-item errors of a refused LogInteractions batch: its `rapport-batch-errors-bin`
    /// trailer, base64 of a serialized `rapport.v1.BatchErrors`.
    func batchErrors() throws -> [Rapport_V1_BatchItemError] {
        guard let text = trailers["rapport-batch-errors-bin"] else { throw MissingTrailer(trailers: trailers) }
        guard let bytes = Data(base64Encoded: text) else { throw MissingTrailer(trailers: trailers) }
        return try Rapport_V1_BatchErrors(serializedBytes: bytes).errors
    }

    struct MissingTrailer: Error {
        let trailers: [String: String]
    }
}

/// Records a failure unless `error` is INVALID_ARGUMENT with a message that starts with `field:`.
func expectInvalidArgument(_ error: RPCError?, naming field: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(error?.code == .invalidArgument, "\(field): \(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.message.hasPrefix("\(field):") == true, "\(field): \(String(describing: error))", sourceLocation: sourceLocation)
}
