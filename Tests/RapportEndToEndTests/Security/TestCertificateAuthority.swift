import Foundation

/// A private CA made with the openssl CLI in a temporary folder, with a server certificate for
/// 127.0.0.1/localhost and client certificates it signs, plus a second, untrusted CA.
struct TestCertificateAuthority {
    let directory: URL
    var caCertificate: String { file("ca.pem") }
    var serverCertificate: String { file("server.pem") }
    var serverKey: String { file("server.key") }

    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func make() async throws -> TestCertificateAuthority {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let authority = TestCertificateAuthority(directory: directory)
        try await authority.makeCA(named: "ca", subject: "Rapport Test CA")
        try await authority.makeCA(named: "rogue-ca", subject: "Rogue CA")
        try await authority.issue(name: "server", commonName: "localhost", alternativeNames: "DNS:localhost,IP:127.0.0.1", by: "ca")
        return authority
    }

    /// A client certificate `name`.pem / `name`.key with `commonName` and SAN `alternativeNames`
    /// (e.g. "URI:spiffe://bank/reporting"), signed by `ca` ("ca" or the untrusted "rogue-ca").
    func issueClient(_ name: String, commonName: String, alternativeNames: String? = nil, by ca: String = "ca") async throws
        -> (certificate: String, key: String)
    {
        try await issue(name: name, commonName: commonName, alternativeNames: alternativeNames, by: ca)
        return (file("\(name).pem"), file("\(name).key"))
    }

    private func makeCA(named name: String, subject: String) async throws {
        try await openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=\(subject)", "-keyout", file("\(name).key"), "-out", file("\(name).pem"),
        ])
    }

    private func issue(name: String, commonName: String, alternativeNames: String?, by ca: String) async throws {
        try await openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=\(commonName)",
            "-keyout", file("\(name).key"), "-out", file("\(name).csr"),
        ])
        var arguments = [
            "x509", "-req", "-in", file("\(name).csr"), "-CA", file("\(ca).pem"), "-CAkey", file("\(ca).key"),
            "-CAcreateserial", "-days", "1", "-out", file("\(name).pem"),
        ]
        if let alternativeNames {
            let extensions = file("\(name).ext")
            try "subjectAltName=\(alternativeNames)\n".write(toFile: extensions, atomically: true, encoding: .utf8)
            arguments += ["-extfile", extensions]
        }
        try await openssl(arguments)
    }

    private func openssl(_ arguments: [String]) async throws {
        let run = try await ProcessRun.run(URL(fileURLWithPath: "/usr/bin/openssl"), arguments)
        guard run.status == 0 else {
            throw ProcessRun.Missing(path: "openssl", hint: "openssl \(arguments.first ?? "") failed: \(run.errors)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
