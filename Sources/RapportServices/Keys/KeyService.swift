import Foundation
import RapportProto
import RapportServer
import RapportServerStubs
import RapportStore
import RapportWire

/// `rapport.v1.KeyService`: master-key rotation while the daemon serves.
///
/// The new key is read from a file on the daemon's host, so key material never crosses the wire;
/// `rapportd rotate-key --new-key-file F` calls it.
public struct KeyService: Rapport_V1_KeyService.ServiceProtocol {
    let store: SQLiteCustomerStore
    let errors: StoreErrorMapping

    public init(store: SQLiteCustomerStore, health: HealthMonitor) {
        self.store = store
        self.errors = StoreErrorMapping(health: health)
    }

    public func rotateMasterKey(
        _ request: Rapport_V1_RotateMasterKeyRequest, context: CallContext
    ) async throws -> Rapport_V1_RotateMasterKeyResponse {
        guard request.newKeyFile.hasPrefix("/") else {
            throw RPCError(
                code: .invalidArgument, message: "new_key_file: an absolute path on the daemon's host is required",
                logSummary: "new_key_file is not an absolute path")
        }
        let key: MasterKey
        do {
            key = try MasterKey.load(file: request.newKeyFile)
        } catch let error as StoreError {
            throw RPCError(
                code: .failedPrecondition, message: "new_key_file: \(error.message)", logSummary: "new_key_file refused")
        }
        context.logger.info("master key rotation started", metadata: ["new_key_id": "\(key.id)"])
        let rotation = try await errors.map { try await store.rotateMasterKey(to: key) }
        context.logger.info(
            "master key rotated",
            metadata: [
                "previous_key_id": "\(rotation.previousKeyID)", "new_key_id": "\(rotation.newKeyID)",
                "keys_rewrapped": "\(rotation.rewrapped)",
            ])
        return .with {
            $0.previousKeyID = rotation.previousKeyID
            $0.newKeyID = rotation.newKeyID
            $0.keysRewrapped = Int64(rotation.rewrapped)
        }
    }
}
