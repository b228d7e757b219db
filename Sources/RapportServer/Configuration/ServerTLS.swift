import NIOSSL

/// TLS for every connection: the server's certificate chain and private key, both PEM files.
public struct ServerTLS: Sendable, Hashable {
    public var certificateChainPath: String
    public var privateKeyPath: String
    /// PEM CA certificates client certificates must chain to; when set, every client must present
    /// a certificate they verify (mutual TLS). Its host name is not checked: clients are
    /// identified by the certificate's names through the principals file.
    public var clientCAPath: String?

    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }

    /// Loads the files once at start-up; an unreadable file stops the server before it listens.
    func makeContext() throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            if let clientCAPath {
                configuration.trustRoots = .file(clientCAPath)
                configuration.certificateVerification = .noHostnameVerification
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(
                message: "cannot use TLS certificate \(certificateChainPath), key \(privateKeyPath)"
                    + (clientCAPath.map { " and client CA \($0)" } ?? "") + ": \(error)"
            )
        }
    }
}

/// The TLS certificate or key could not be loaded.
public struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
