"""Swift: a server protocol per service, which the daemon's services implement."""
from .common import HEADER, doc, lower_camel, per_proto_file, swift_prefix


def server_file(proto_name, file_services, names):
    out = [HEADER.format(source=proto_name), "\nimport RapportProto\nimport RapportServer\n"]
    for service in file_services:
        namespace = swift_prefix(service.package) + service.name
        out.append(f"\nextension {namespace} {{\n")
        out.append(f"    /// Implement to serve `{service.full}`; registering it adds every method to the registry.\n")
        out.append("    public protocol ServiceProtocol: RPCService {\n")
        for index, method in enumerate(service.methods):
            request = names.swift[method.input_type]
            response = names.swift[method.output_type]
            out.append("\n" if index else "")
            out.append(doc(method.doc, "        ", f"Serves `{method.path}`."))
            if method.server_streaming:
                out.append(
                    f"        func {lower_camel(method.name)}(\n            _ request: {request},\n"
                    f"            writer: ResponseWriter<{response}>,\n            context: CallContext\n        ) async throws\n"
                )
            else:
                out.append(
                    f"        func {lower_camel(method.name)}(\n            _ request: {request},\n"
                    f"            context: CallContext\n        ) async throws -> {response}\n"
                )
        out.append("    }\n}\n\nextension " + namespace + ".ServiceProtocol {\n")
        out.append("    public func register(into registry: inout MethodRegistry) {\n")
        for method in service.methods:
            name = lower_camel(method.name)
            if method.server_streaming:
                out.append(
                    f"        registry.register({namespace}.Method.{name}) {{ request, writer, context in\n"
                    f"            try await self.{name}(request, writer: writer, context: context)\n        }}\n"
                )
            else:
                out.append(
                    f"        registry.register({namespace}.Method.{name}) {{ request, context in\n"
                    f"            try await self.{name}(request, context: context)\n        }}\n"
                )
        out.append("    }\n}\n")
    return "".join(out)


def generate(request):
    return per_proto_file(request, ".server.swift", server_file)
