import Foundation
import RapportAccess
import RapportApp
import RapportServer
import Testing

@Suite("Principals file and identity settings")
struct PrincipalsFileTests {
    static let digest = TokenDigest(token: "rapport_secret")

    @Test func aValidFileGivesPrincipalsTheirRolesPermissionsCredentialsAndLimits() throws {
        let json = """
            {"default_max_concurrent_calls": 7, "principals": [
              {"name": "crm-web", "roles": ["agent"], "permissions": ["consent.backdate"], "tokens": ["\(Self.digest)"]},
              {"name": "reporting", "roles": ["reader"], "certificates": ["reporting.bank.internal"], "max_concurrent_calls": 3}]}
            """
        let directory = try PrincipalsFile.parse(Data(json.utf8), source: "test")
        let web = try #require(directory.entry(forToken: TokenDigest(token: "rapport_secret")))
        #expect(web.principal.name == "crm-web")
        #expect(web.principal.may(.writeConsent) && web.principal.may(.backdateConsent) && !web.principal.may(.writeCustomers))
        #expect(web.maxConcurrentCalls == 7)
        #expect(directory.entry(forToken: TokenDigest(token: "rapport_other")) == nil)
        let reporting = try #require(directory.entry(forCertificateNames: ["x", "reporting.bank.internal"]))
        #expect(reporting.principal.name == "reporting")
        #expect(reporting.maxConcurrentCalls == 3)
    }

    @Test(arguments: [
        (#"{"principals": [], "extra": 1}"#, "unknown key 'extra'"),
        (#"{"principals": [{"name": "a", "roles": ["reader"], "tokens": ["DIGEST"], "token": "x"}]}"#, "unknown key 'token'"),
        (#"{"principals": [{"name": "a", "roles": ["root"], "tokens": ["DIGEST"]}]}"#, "unknown role 'root'"),
        (#"{"principals": [{"name": "a", "roles": ["reader"], "permissions": ["everything"], "tokens": ["DIGEST"]}]}"#, "unknown permission"),
        (#"{"principals": [{"name": "a", "roles": ["reader"], "tokens": ["rapport_plaintext"]}]}"#, "never the token itself"),
        (#"{"principals": [{"name": "a", "roles": ["reader"], "tokens": ["sha256:abc"]}]}"#, "never the token itself"),
        (#"{"principals": [{"name": "a", "roles": ["reader"]}]}"#, "neither tokens nor certificates"),
        (#"{"principals": [{"name": "a b", "roles": ["reader"], "tokens": ["DIGEST"]}]}"#, "'name' must be"),
        (#"{"principals": [{"name": "a", "tokens": ["DIGEST"]}, {"name": "a", "certificates": ["c"]}]}"#, "listed twice"),
        (#"{"principals": [{"name": "a", "tokens": ["DIGEST"]}, {"name": "b", "tokens": ["DIGEST"]}]}"#, "given to another principal"),
        (#"{"principals": [{"name": "a", "certificates": ["c"]}, {"name": "b", "certificates": ["c"]}]}"#, "given to another principal"),
        (#"{"principals": [{"name": "a", "tokens": ["DIGEST"], "max_concurrent_calls": 0}]}"#, "must be from 1 to 1000000"),
        (#"{"default_max_concurrent_calls": true, "principals": []}"#, "principals file test"),
        (#"[]"#, "is not a JSON object"),
    ])
    func badFilesAreRefusedSayingWhy(json: String, reason: String) {
        let text = json.replacingOccurrences(of: "DIGEST", with: Self.digest.description)
        let error = #expect(throws: ConfigurationError.self) { try PrincipalsFile.parse(Data(text.utf8), source: "test") }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func aFileOthersMayWriteIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("principals-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"principals": [{"name": "a", "tokens": ["\#(Self.digest)"]}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try PrincipalsFile.load(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        let error = #expect(throws: ConfigurationError.self) { try PrincipalsFile.load(path: path) }
        #expect(error?.description.contains("writable by group or others") == true)
    }

    @Test func digestsParseInEitherCaseAndCompareByValue() throws {
        let spelled = try #require(TokenDigest(spelled: Self.digest.description.uppercased().replacingOccurrences(of: "SHA256:", with: "sha256:")))
        #expect(spelled.matches(Self.digest))
        #expect(!TokenDigest(token: "rapport_secreT").matches(Self.digest))
        #expect(TokenDigest(spelled: "sha256:" + String(repeating: "g", count: 64)) == nil)
        #expect(Self.digest.description.count == 7 + 64)
    }

    @Test func localAdminTokensAreRandomAndWellFormed() {
        let tokens = (0..<20).map { _ in LocalAdminCredential.makeToken() }
        #expect(Set(tokens).count == 20)
        for token in tokens {
            #expect(token.hasPrefix("rapport_") && token.utf8.count == 51)
            #expect(token.dropFirst(8).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
    }

    @Test func securityKeysApplyFromTheConfigFile() throws {
        let configuration = try configuration(fromConfigFile: """
            {"host": "0.0.0.0", "tls_cert": "/c.pem", "tls_key": "/k.pem", "tls_client_ca": "/ca.pem",
             "principals_file": "/p.json", "open_reflection": true, "open_diagnostics": true}
            """)
        try configuration.validate()
        #expect(configuration.server.tls?.clientCAPath == "/ca.pem")
        #expect(configuration.principalsFile == "/p.json")
        #expect(configuration.accessTable["/rapport.reflection.v1.Reflection/ListServices"] == .open)
        #expect(configuration.accessTable["/rapport.diagnostics.v1.Diagnostics/Echo"] == .open)
        #expect(configuration.accessTable["/rapport.v1.CustomerService/GetCustomer"] == .requires(.readCustomers))
        #expect(!configuration.isExposedInsecurely)
    }

    @Test func beyondLoopbackTLSAndPrincipalsAreRequiredUnlessInsecure() throws {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] {
            var configuration = DaemonConfiguration()
            configuration.server.host = host
            try configuration.validate()
        }
        var exposed = DaemonConfiguration()
        exposed.server.host = "10.0.0.5"
        let error = #expect(throws: ConfigurationError.self) { try exposed.validate() }
        #expect(error?.description.contains("needs TLS (tls_cert, tls_key) and a principals file") == true)
        exposed.insecure = true
        try exposed.validate()
        #expect(exposed.isExposedInsecurely)
        let noTLS = #expect(throws: ConfigurationError.self) {
            _ = try configuration(fromConfigFile: #"{"tls_client_ca": "/ca.pem"}"#)
        }
        #expect(noTLS?.description.contains("needs TLS") == true)
    }
}
