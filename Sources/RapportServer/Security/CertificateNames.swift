import NIOCore
import NIOSSL

/// The names a verified client certificate can be mapped to a principal by: the subject's
/// common names, then its DNS and URI subject alternative names.
enum CertificateNames {
    static func of(_ certificate: NIOSSLCertificate) -> [String] {
        var names = certificate.subjectName.filter { $0.type == .commonName }.map(\.value)
        for alternative in certificate._subjectAlternativeNames()
        where alternative.nameType == .dnsName || alternative.nameType == .uri {
            names.append(String(decoding: alternative.contents, as: UTF8.self))
        }
        return names
    }

    /// The verified peer certificate's names, when the channel speaks TLS and the client sent
    /// one (the server's TLS configuration has already verified it against the client CA).
    static func ofPeer(in pipeline: ChannelPipeline.SynchronousOperations) -> [String]? {
        guard let certificate = try? pipeline.nioSSL_peerCertificate() else { return nil }
        return of(certificate)
    }
}
