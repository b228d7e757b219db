import NIOSSL

/// TLS for a client connection: how the server's certificate is checked, and the name to check it against.
public struct ClientTLS: Sendable {
    /// NIOSSL's client configuration: trust roots, verification mode, client certificate.
    public var configuration: TLSConfiguration
    /// The name sent as SNI and matched against the certificate; nil uses the host when it is a name,
    /// and the connected IP address when the host is an IP literal.
    public var serverHostname: String?

    public init(configuration: TLSConfiguration = .makeClientConfiguration(), serverHostname: String? = nil) {
        self.configuration = configuration
        self.serverHostname = serverHostname
    }

    /// Verifies the server against the CA certificates in a PEM file (for a private CA or a self-signed server).
    public static func trusting(caCertificatesPath path: String, serverHostname: String? = nil) -> ClientTLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(path)
        configuration.minimumTLSVersion = .tlsv12
        return ClientTLS(configuration: configuration, serverHostname: serverHostname)
    }

    /// Mutual TLS: verifies the server against the CA certificates in `caCertificatesPath` and
    /// presents the client certificate chain and key (PEM files), which the server maps to a principal.
    public static func mutual(
        caCertificatesPath: String, certificateChainPath: String, privateKeyPath: String, serverHostname: String? = nil
    ) throws -> ClientTLS {
        var tls = trusting(caCertificatesPath: caCertificatesPath, serverHostname: serverHostname)
        tls.configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateChainPath).map { .certificate($0) }
        tls.configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyPath, format: .pem))
        return tls
    }

    /// The SNI name for `host`: IP literals are not valid SNI names.
    func sniName(for host: String) -> String? {
        if let serverHostname { return serverHostname }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let isIPLiteral = host.contains(":") || (octets.count == 4 && octets.allSatisfy { UInt8($0) != nil })
        return isIPLiteral ? nil : host
    }
}
