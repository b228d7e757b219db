import Foundation
import Logging
import RapportAccess
import RapportDomain
import RapportProto
import RapportServer
import RapportServices
import RapportWire
import SwiftProtobuf

/// Shared pieces of the service tests: a call context, a fixed clock and valid wire interactions.
enum ServiceFixtures {
    /// The daemon's clock: 2025-06-15T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_749_988_800)

    /// A context for calling handlers directly, as a manager (who sees personal data unmasked).
    static let context = context(as: [.manager])

    /// A context for calling handlers directly as a principal with `roles`.
    static func context(as roles: Set<Role>, name: String = "test-principal") -> CallContext {
        CallContext(
            callID: 1,
            method: Rapport_V1_InteractionService.Method.logInteraction.erased,
            metadata: [:],
            deadline: nil,
            requestID: "test",
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            services: [],
            principal: Principal(name: name, roles: roles)
        )
    }

    /// An interaction service over `store` on the fixed clock.
    static func service(
        _ store: ScriptedInteractionStore, policy: InteractionPolicy = .defaults, health: HealthMonitor = HealthMonitor()
    ) -> InteractionService {
        InteractionService(
            store: store, policy: policy, segmenter: Segmenter(policy: .defaults), health: health, now: { now })
    }

    /// A valid wire interaction of `kind`, an hour before `now`, with what the kind requires.
    static func wire(_ kind: Rapport_V1_InteractionKind = .inquiry, customer: String = "cus_1") -> Rapport_V1_Interaction {
        .with {
            $0.customerID = customer
            $0.channel = .branch
            $0.kind = kind
            $0.occurredAt = Google_Protobuf_Timestamp(date: now.addingTimeInterval(-3600))
            $0.employeeID = "E1"
            $0.summary = "asked about rates"
            switch kind {
            case .surveyResponse: $0.survey = .with { $0.npsScore = 3; $0.reason = "slow" }
            case .complaint: $0.complaint = .with { $0.category = .waitingTime; $0.severity = .high }
            case .followUp: $0.followUpOf = "int_1"
            default: break
            }
        }
    }

    /// A LogInteraction request for `interaction`.
    static func request(_ interaction: Rapport_V1_Interaction, requestID: String = "") -> Rapport_V1_LogInteractionRequest {
        .with {
            $0.requestID = requestID
            $0.interaction = interaction
        }
    }

    /// The items of a refused batch's trailer as a client decodes it: standard padded base64 of
    /// a serialized `rapport.v1.BatchErrors`.
    static func batchErrors(_ error: RPCError?) throws -> [Rapport_V1_BatchItemError] {
        guard let text = error?.trailers["rapport-batch-errors-bin"], let data = Data(base64Encoded: text) else {
            throw RPCError(code: .internal, message: "no decodable rapport-batch-errors-bin trailer in \(String(describing: error))")
        }
        return try Rapport_V1_BatchErrors(serializedBytes: data).errors
    }

    /// The RPCError `body` throws; nil when it throws nothing or another error (so expectations on it fail).
    static func rpcError(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            return nil
        }
    }
}
