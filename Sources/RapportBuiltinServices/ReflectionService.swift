import Foundation
import RapportProto
import RapportServer
import RapportWire

/// `rapport.reflection.v1.Reflection`: lists what the daemon serves and hands out its proto descriptors.
public struct ReflectionService: RPCService {
    private let fileDescriptorSet: Data

    /// - Parameter fileDescriptorSet: the serialized descriptors of every served proto file.
    public init(fileDescriptorSet: Data = RapportCatalog.fileDescriptorSet) {
        self.fileDescriptorSet = fileDescriptorSet
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(Rapport_Reflection_V1_Reflection.Method.getFileDescriptorSet) { [fileDescriptorSet] _, _ in
            .with { $0.fileDescriptorSet = fileDescriptorSet }
        }
        // The listing is taken when the call runs, from the registry the server was built with.
        registry.register(Rapport_Reflection_V1_Reflection.Method.listServices) { _, context in
            .with { $0.services = context.services.map(Self.info) }
        }
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
