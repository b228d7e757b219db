import GRDB

/// A row of `create_requests`: a client request id and the customer its create made.
struct CreateRequestRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "create_requests"

    var requestID: String
    var customerID: String
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case customerID = "customer_id"
        case createdAt = "created_at"
    }
}
