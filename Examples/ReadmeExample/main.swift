// Checks the daemon's health, creates a customer and reads it back.
// RAPPORT_HOST and RAPPORT_PORT choose the daemon (default 127.0.0.1:7420); the credential is
// RAPPORT_TOKEN, the file RAPPORT_TOKEN_FILE names, or a local daemon's ./rapport-data/local-admin.token.
import Foundation
import RapportClient  // the connection and the typed clients
import RapportProto  // the messages
import RapportWire  // RPCError, StatusCode

let environment = ProcessInfo.processInfo.environment
let host = environment["RAPPORT_HOST"] ?? "127.0.0.1"
let port = Int(environment["RAPPORT_PORT"] ?? "") ?? 7420

let token = try LocalCredential.find()?.token  // sent as `authorization: Bearer <token>`
let client = try await RapportClient.connect(host: host, port: port, configuration: .init(bearerToken: token))
let options = CallOptions(timeout: .seconds(5), metadata: ["x-request-id": "readme-swift"])
do {
    let health = try await client.health.check(options: options)
    print("health: \(health.status)")

    let created = try await client.customers.createCustomer(
        .with {
            $0.requestID = UUID().uuidString  // a retry with the same id returns the same customer
            $0.profile = .with {
                $0.fullName = "Ada Lovelace"
                $0.dateOfBirth = .with { $0.year = 1985; $0.month = 12; $0.day = 10 }
                $0.annualIncome = .with { $0.minorUnits = 8_800_000; $0.currencyCode = "GBP" }  // GBP 88,000.00
            }
        },
        options: options
    )
    print("created: \(created.id) \(created.segmentation.valueTier)")
    for reason in created.segmentation.valueTierReasons {
        print("  because \(reason)")
    }

    let fetched = try await client.customers.getCustomer(.with { $0.id = created.id }, options: options)
    print("fetched: \(fetched.profile.fullName), etag \(fetched.etag)")

    let echo = try await client.diagnostics.echo(.with { $0.payload = Data("hi".utf8) }, options: options)
    print("echo: \(String(decoding: echo.payload, as: UTF8.self))")

    do {
        _ = try await client.customers.getCustomer(.with { $0.id = "cus_missing" }, options: options)
    } catch let error as RPCError {
        print("missing: \(error.code): \(error.message)")  // the gRPC status code and the server's message
    }
} catch {
    await client.close()
    throw error
}
await client.close()
