"""Swift: a typed client per service, in the RapportClient module."""
from .common import HEADER, accessor, doc, lower_camel, per_proto_file, swift_prefix


def client_file(proto_name, file_services, names):
    out = [HEADER.format(source=proto_name), "\nimport RapportProto\nimport RapportWire\n"]
    for service in file_services:
        namespace = swift_prefix(service.package) + service.name
        client = namespace + ".Client"
        out.append(f"\nextension {namespace} {{\n")
        out.append(f"    /// Typed client for `{service.full}`; get one from `RapportClient.{lower_camel(accessor(service.name))}`.\n")
        out.append("    public struct Client: Sendable {\n")
        out.append("        /// The connection the calls go over.\n        public let connection: RapportClient\n\n")
        out.append("        public init(_ connection: RapportClient) {\n            self.connection = connection\n        }\n")
        for method in service.methods:
            request = names.swift[method.input_type]
            response = names.swift[method.output_type]
            name = lower_camel(method.name)
            descriptor = f"{namespace}.Method.{name}"
            out.append("\n")
            out.append(doc(method.doc, "        ", f"Calls `{method.path}`."))
            streaming = method.server_streaming
            returns = f"ResponseStream<{response}>" if streaming else response
            call = "serverStreaming" if streaming else "unary"
            out.append(
                f"        public func {name}(\n            _ request: {request} = {request}(),\n"
                f"            options: CallOptions = .defaults\n        ) async throws -> {returns} {{\n"
                f"            try await connection.{call}({descriptor}, request, options: options)\n        }}\n"
            )
        out.append("    }\n}\n\nextension RapportClient {\n")
        out.append(f"    /// Calls to `{service.full}` over this connection.\n")
        out.append(f"    public var {lower_camel(accessor(service.name))}: {client} {{ {client}(self) }}\n}}\n")
    return "".join(out)


def generate(request):
    return per_proto_file(request, ".client.swift", client_file)
