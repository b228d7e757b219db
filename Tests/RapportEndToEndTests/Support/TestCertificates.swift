import Foundation

/// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI in a temporary folder.
struct TestCertificates {
    let directory: URL
    var certificate: String { directory.appendingPathComponent("cert.pem").path }
    var key: String { directory.appendingPathComponent("key.pem").path }

    static func make() async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        let run = try await ProcessRun.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", certificates.key, "-out", certificates.certificate,
        ])
        guard run.status == 0 else {
            throw ProcessRun.Missing(path: "openssl", hint: "openssl req failed: \(run.errors)")
        }
        return certificates
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
