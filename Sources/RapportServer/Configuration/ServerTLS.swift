import NIOSSL

/// TLS for every connection: the server's certificate chain and private key, both PEM files.
public struct ServerTLS: Sendable, Hashable {
    public var certificateChainPath: String
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }

    /// Loads the files once at start-up; an unreadable file stops the server before it listens.
    func makeContext() throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(
                message: "cannot use TLS certificate \(certificateChainPath) and key \(privateKeyPath): \(error)"
            )
        }
    }
}

/// The TLS certificate or key could not be loaded.
public struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
