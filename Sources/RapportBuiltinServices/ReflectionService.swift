import Foundation
import RapportProto
import RapportServer
import RapportServerStubs
import RapportWire

/// `rapport.reflection.v1.Reflection`: lists what the daemon serves and hands out its proto descriptors.
public struct ReflectionService: Rapport_Reflection_V1_Reflection.ServiceProtocol {
    private let fileDescriptorSet: Data

    /// - Parameter fileDescriptorSet: the serialized descriptors of every served proto file.
    public init(fileDescriptorSet: Data = RapportCatalog.fileDescriptorSet) {
        self.fileDescriptorSet = fileDescriptorSet
    }

    /// The listing is taken from the registry the server was built with, so it is always what is served.
    public func listServices(
        _ request: Rapport_Reflection_V1_ListServicesRequest, context: CallContext
    ) async throws -> Rapport_Reflection_V1_ListServicesResponse {
        .with { $0.services = context.services.map(Self.info) }
    }

    public func getFileDescriptorSet(
        _ request: Rapport_Reflection_V1_GetFileDescriptorSetRequest, context: CallContext
    ) async throws -> Rapport_Reflection_V1_GetFileDescriptorSetResponse {
        .with { $0.fileDescriptorSet = fileDescriptorSet }
    }

    private static func info(_ service: ServiceDescriptor) -> Rapport_Reflection_V1_ServiceInfo {
        .with {
            $0.name = service.name
            $0.methods = service.methods.map { method in
                .with {
                    $0.name = method.method
                    $0.path = method.path
                    $0.requestType = method.requestType
                    $0.responseType = method.responseType
                    $0.serverStreaming = method.kind == .serverStreaming
                }
            }
        }
    }
}
