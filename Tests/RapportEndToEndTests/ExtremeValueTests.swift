import Foundation
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

/// Every method, every field of its request, every extreme value of the field's type (see
/// `ExtremeValueCases`), sent to the real `rapportd` binary: each call must end with a status,
/// and the daemon must still be running and serving Health afterwards. A trap in any mapping or
/// handler (an unchecked conversion of a wire value) kills the child process, which fails here
/// with the request that did it.
@Suite("End to end: extreme values in every request field", .serialized)
struct ExtremeValueTests {
    /// A valid request for each method, in proto3 JSON; `$CUSTOMER` and `$PRODUCT` are replaced
    /// by a customer and a product created first, so that the cases reach past the lookups.
    static let baselines: [String: String] = [
        "/rapport.diagnostics.v1.Diagnostics/Echo": #"{"payload": "aGVsbG8="}"#,
        "/rapport.health.v1.Health/Check": #"{"service": "rapport.v1.CustomerService"}"#,
        "/rapport.health.v1.Health/Watch": #"{"service": "rapport.v1.CustomerService"}"#,
        "/rapport.reflection.v1.Reflection/ListServices": "{}",
        "/rapport.reflection.v1.Reflection/GetFileDescriptorSet": "{}",
        "/rapport.v1.CustomerService/CreateCustomer": #"{"profile": \#(profile)}"#,
        "/rapport.v1.CustomerService/GetCustomer": #"{"id": "$CUSTOMER"}"#,
        "/rapport.v1.CustomerService/UpdateCustomer":
            #"{"id": "$CUSTOMER", "profile": \#(profile), "updateMask": "fullName,products,annualIncome,dateOfBirth"}"#,
        "/rapport.v1.CustomerService/DeleteCustomer": #"{"id": "cus_00000000000000000000000000"}"#,
        "/rapport.v1.CustomerService/SetConsent": #"""
            {"customerId": "$CUSTOMER", "decisions": [{"channel": "CONSENT_CHANNEL_EMAIL", "purpose": "CONSENT_PURPOSE_MARKETING",
             "granted": true, "source": "CONSENT_SOURCE_CHANNEL", "sourceDetail": "web",
             "recordedBy": "agent-1"}]}
            """#,
        "/rapport.v1.CustomerService/GetConsent": #"{"customerId": "$CUSTOMER", "includeHistory": true}"#,
        "/rapport.v1.CustomerService/ListCustomers":
            #"{"pageSize": 2, "namePrefix": "Ada", "valueTier": "VALUE_TIER_MASS", "branchId": "LON-001"}"#,
        "/rapport.v1.CustomerService/GetCustomerOverview": #"{"id": "$CUSTOMER", "recentInteractions": 5}"#,
        "/rapport.v1.InteractionService/LogInteraction": #"{"interaction": \#(interaction)}"#,
        "/rapport.v1.InteractionService/LogInteractions": #"{"items": [{"interaction": \#(interaction)}]}"#,
        "/rapport.v1.InteractionService/ListInteractions": #"""
            {"customerId": "$CUSTOMER", "occurredFrom": "2020-01-01T00:00:00Z", "occurredBefore": "2030-01-01T00:00:00Z",
             "channels": ["CHANNEL_BRANCH"], "kinds": ["INTERACTION_KIND_SURVEY_RESPONSE"], "pageSize": 10}
            """#,
        "/rapport.v1.InteractionService/ExportInteractions": #"""
            {"occurredFrom": "2020-01-01T00:00:00Z", "occurredBefore": "2030-01-01T00:00:00Z",
             "channels": ["CHANNEL_BRANCH"], "kinds": ["INTERACTION_KIND_SURVEY_RESPONSE"]}
            """#,
        "/rapport.v1.InteractionService/GetNpsReport":
            #"{"occurredFrom": "2024-01-01T00:00:00Z", "occurredBefore": "2024-06-01T00:00:00Z", "groupBy": "NPS_DIMENSION_CHANNEL"}"#,
        "/rapport.v1.InteractionService/ListFollowUps": #"{"customerId": "$CUSTOMER", "branchId": "LON-001", "pageSize": 10}"#,
        "/rapport.v1.RecommendationService/UpsertProduct": #"{"product": \#(product)}"#,
        "/rapport.v1.RecommendationService/GetProduct": #"{"code": "$PRODUCT", "includeHistory": true}"#,
        "/rapport.v1.RecommendationService/ListProducts":
            #"{"category": "PRODUCT_CATEGORY_DEPOSIT", "includeRetired": true, "pageSize": 10}"#,
        "/rapport.v1.RecommendationService/RetireProduct": #"{"code": "NOT_IN_THE_CATALOG"}"#,
        "/rapport.v1.RecommendationService/GetRecommendations": #"""
            {"customerId": "$CUSTOMER", "channel": "CHANNEL_BRANCH", "maxResults": 5, "category": "PRODUCT_CATEGORY_DEPOSIT",
             "asOf": {"year": 2024, "month": 1, "day": 1}}
            """#,
        "/rapport.v1.RecommendationService/RecordOfferOutcome": #"""
            {"customerId": "$CUSTOMER", "productCode": "$PRODUCT", "outcome": "OFFER_OUTCOME_DECLINED", "channel": "CHANNEL_BRANCH",
             "occurredAt": "2024-01-01T00:00:00Z", "reasonCodes": ["PRICE"], "employeeId": "e1"}
            """#,
        "/rapport.v1.AdminService/ListAuditEvents": #"""
            {"filter": {"principal": "local-admin", "customerId": "$CUSTOMER", "method": "/rapport.v1.CustomerService/GetCustomer",
             "outcome": "OK", "timeFrom": "2020-01-01T00:00:00Z", "timeBefore": "2090-01-01T00:00:00Z"}, "pageSize": 10}
            """#,
        "/rapport.v1.AdminService/ExportAuditEvents": #"""
            {"filter": {"customerId": "$CUSTOMER", "outcome": "OK", "timeFrom": "2020-01-01T00:00:00Z",
             "timeBefore": "2090-01-01T00:00:00Z"}, "afterId": "1"}
            """#,
        "/rapport.v1.AdminService/VerifyAuditChain": "{}",
        // A file that does not exist: every case is refused before any key changes.
        "/rapport.v1.KeyService/RotateMasterKey": #"{"newKeyFile": "/nonexistent/rapport-extreme-values.key"}"#,
        "/rapport.v1.RecommendationService/GetOfferReport":
            #"{"fromDay": {"year": 2024, "month": 1, "day": 1}, "beforeDay": {"year": 2024, "month": 2, "day": 1}}"#,
    ]

    static let profile = #"""
        {"fullName": "Ada Lovelace", "dateOfBirth": {"year": 1985, "month": 12, "day": 10}, "phone": "+447700900123",
         "email": "ada@example.com", "nationalId": "QQ123456C",
         "address": {"line1": "1 Row", "city": "London", "postalCode": "SW1A 1AA", "countryCode": "GB"},
         "preferredLanguage": "en-GB", "preferredChannel": "CHANNEL_EMAIL", "branchId": "LON-001", "occupation": "Engineer",
         "annualIncome": {"minorUnits": "8500000", "currencyCode": "GBP"},
         "assetsUnderManagement": {"minorUnits": "12000000", "currencyCode": "GBP"},
         "products": [{"productCode": "CURRENT_ACCOUNT", "openedOn": {"year": 2015, "month": 3, "day": 1}},
                      {"productCode": "$PRODUCT", "openedOn": {"year": 2016, "month": 3, "day": 1},
                       "closedOn": {"year": 2020, "month": 1, "day": 1}}],
         "riskLevel": "RISK_LEVEL_MODERATE", "kycStatus": "KYC_STATUS_VERIFIED"}
        """#

    static let interaction = #"""
        {"customerId": "$CUSTOMER", "channel": "CHANNEL_BRANCH", "kind": "INTERACTION_KIND_SURVEY_RESPONSE",
         "occurredAt": "2024-01-01T10:00:00Z", "employeeId": "e1", "productCode": "$PRODUCT", "summary": "survey",
         "survey": {"npsScore": 9, "reason": "helpful"}}
        """#

    static let product = #"""
        {"code": "EXTREME_BASE", "name": "Base saver", "description": "A saver.", "category": "PRODUCT_CATEGORY_DEPOSIT",
         "eligibility": {"minAge": 18, "maxAge": 99, "minAnnualIncome": {"minorUnits": "100", "currencyCode": "GBP"},
                         "minAssets": {"minorUnits": "100", "currencyCode": "GBP"}, "allowedValueTiers": ["VALUE_TIER_MASS"],
                         "requiredKycStatus": "KYC_STATUS_VERIFIED"},
         "declineCooldownDays": 30, "businessWeight": 10}
        """#

    @Test("every method answers every field's extreme values with a status, and the daemon keeps serving")
    func everyFieldsExtremes() async throws {
        let daemon = try await DaemonProcess.start(["--sqlite-synchronous", "off"])
        var failure: (any Error)?
        do {
            try await Self.sendEveryCase(to: daemon)
        } catch {
            failure = error
        }
        let running = daemon.process.isRunning
        let status = await daemon.stop()
        if let failure { Issue.record(failure) }
        #expect(running, "rapportd is not running after the cases")
        #expect(status == 0)
    }

    private static func sendEveryCase(to daemon: DaemonProcess) async throws {
        var client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
        let product = try await client.unary(
            Rapport_V1_RecommendationService.Method.upsertProduct,
            try Rapport_V1_UpsertProductRequest(jsonString: #"{"product": \#(Self.product)}"#))
        let code = product.product.code
        let customer = try await client.unary(
            Rapport_V1_CustomerService.Method.createCustomer,
            try Rapport_V1_CreateCustomerRequest(
                jsonString: #"{"profile": \#(Self.profile)}"#.replacingOccurrences(of: "$PRODUCT", with: code)))

        let types = try ExtremeValueCases.messageTypes()
        #expect(types["google.protobuf.Timestamp"] != nil, "timestamps must be entered like any message")
        var cases: [ExtremeCase] = []
        for service in RapportCatalog.services {
            for method in service.methods {
                let json = try #require(Self.baselines[method.path], "\(method.path) needs a baseline request here")
                let filled = json.replacingOccurrences(of: "$CUSTOMER", with: customer.id)
                    .replacingOccurrences(of: "$PRODUCT", with: code)
                let type = try #require(RapportCatalog.messageType(named: method.requestType))
                let baseline: [UInt8] = try type.init(jsonString: filled).serializedBytes()
                cases += try ExtremeValueCases.cases(for: method, baseline: baseline, types: types)
            }
        }
        // The field that once killed the daemon is among them.
        #expect(cases.contains { $0.method.method == "SetConsent" && $0.label == "decisions.decided_at.seconds = \(Int64.min)" })

        for extreme in cases {
            let outcome = await send(extreme, on: client)
            if case .failure(let error) = outcome, !daemon.process.isRunning {
                Issue.record("rapportd died on \(extreme): \(error)")
                return
            }
            if client.isClosed {
                client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            }
        }
        let health = try await client.unary(Rapport_Health_V1_Health.Method.check, .init())
        #expect(health.status == .serving)
        await client.close()
    }

    /// Sends one case; streams are read to their end (or a short deadline: Watch never ends).
    private static func send(_ extreme: ExtremeCase, on client: RapportClient) async -> Result<Void, RPCError> {
        do {
            switch extreme.method.kind {
            case .unary:
                _ = try await client.unaryRaw(path: extreme.method.path, payload: extreme.payload, options: CallOptions(timeout: .seconds(30)))
            default:
                let stream = try await client.serverStreamingRaw(
                    path: extreme.method.path, payload: extreme.payload, options: CallOptions(timeout: .milliseconds(300)))
                for try await _ in stream {}
            }
            return .success(())
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            return .failure(RPCError(code: .unknown, message: "\(error)"))
        }
    }
}
