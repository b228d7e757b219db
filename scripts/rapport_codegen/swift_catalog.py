"""Swift: per-service method descriptors (RapportProto) and RapportCatalog."""
import base64

from google.protobuf import descriptor_pb2

from .common import HEADER, Names, comments, doc, file_stem, lower_camel, swift_prefix


def service_file(proto, names):
    notes = comments(proto)
    out = [HEADER.format(source=proto.name), "\nimport RapportWire\n"]
    for s_index, service in enumerate(proto.service):
        full = f"{proto.package}.{service.name}"
        enum = swift_prefix(proto.package) + service.name
        out.append("\n")
        out.append(doc(notes.get((6, s_index)), "", f"The `{full}` service."))
        out.append(f"public enum {enum} {{\n")
        out.append(f'    /// The fully-qualified service name.\n    public static let name = "{full}"\n\n')
        out.append("    /// One descriptor per RPC.\n    public enum Method {\n")
        for m_index, method in enumerate(service.method):
            if method.client_streaming:
                raise ValueError(f"{full}/{method.name}: client streaming is not part of the Rapport protocol")
            kind = ".serverStreaming" if method.server_streaming else ".unary"
            request = names.swift[method.input_type]
            response = names.swift[method.output_type]
            out.append(doc(notes.get((6, s_index, 2, m_index)), "        ", f"`{method.name}`."))
            out.append(
                f"        public static let {lower_camel(method.name)} = MethodDescriptor<{request}, {response}>(\n"
                f'            service: name, method: "{method.name}", kind: {kind})\n'
            )
        out.append("    }\n\n")
        listed = ", ".join(f"Method.{lower_camel(m.name)}.erased" for m in service.method)
        out.append("    /// The service and all its methods.\n")
        out.append(f"    public static let descriptor = ServiceDescriptor(name: name, methods: [{listed}])\n")
        out.append("}\n")
    return "".join(out)


def catalog_file(request, names, generated):
    services = []
    for proto in request.proto_file:
        if proto.name in generated:
            services += [swift_prefix(proto.package) + s.name for s in proto.service]
    descriptor_set = descriptor_pb2.FileDescriptorSet()
    for proto in request.proto_file:
        copy = descriptor_set.file.add()
        copy.CopyFrom(proto)
        copy.ClearField("source_code_info")
    encoded = base64.b64encode(descriptor_set.SerializeToString()).decode()
    chunks = [encoded[i:i + 96] for i in range(0, len(encoded), 96)]
    out = [HEADER.format(source="every service proto"), "\nimport Foundation\nimport RapportWire\nimport SwiftProtobuf\n\n"]
    out.append("/// Everything generated from proto/: services, message types, descriptors.\n")
    out.append("public enum RapportCatalog {\n")
    out.append("    /// Every service defined in proto/, sorted by name.\n")
    out.append("    public static let services: [ServiceDescriptor] = [\n")
    out += [f"        {s}.descriptor,\n" for s in sorted(services)]
    out.append("    ]\n\n")
    out.append("    /// The Swift type of a protobuf message, by its fully-qualified name.\n")
    out.append("    public static func messageType(named name: String) -> (any SwiftProtobuf.Message.Type)? {\n")
    out.append("        switch name {\n")
    for full, swift in sorted(names.messages):
        out.append(f'        case "{full}": return {swift}.self\n')
    out.append("        default: return nil\n        }\n    }\n\n")
    out.append("    /// A serialized google.protobuf.FileDescriptorSet of every proto file and its imports.\n")
    out.append("    public static let fileDescriptorSet: Data = Data(base64Encoded: fileDescriptorSetBase64) ?? Data()\n\n")
    out.append("    private static let fileDescriptorSetBase64 = [\n")
    out += [f'        "{chunk}",\n' for chunk in chunks]
    out.append('    ].joined()\n}\n')
    return "".join(out)


def generate(request):
    names = Names(request.proto_file)
    generated = set(request.file_to_generate)
    files = []
    for proto in request.proto_file:
        if proto.name in generated and proto.service:
            files.append((file_stem(proto.name) + ".rapport.swift", service_file(proto, names)))
    files.append(("RapportCatalog.swift", catalog_file(request, names, generated)))
    return files
