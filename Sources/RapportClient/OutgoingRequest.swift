import Foundation
import RapportWire
import SwiftProtobuf

/// A Request frame waiting for its call id, with what it takes to know its exact size
/// before the id is chosen (under the registry's lock, where serializing would be too slow).
struct OutgoingRequest: Sendable {
    private var request: Rapport_Wire_V1_Request
    /// The serialized size of `request` while its call id is 0 (and so not encoded).
    private let sizeWithoutCallID: Int

    init(path: String, payload: Data, metadata: [String: String], timeoutMilliseconds: UInt32) throws(RPCError) {
        var request = Rapport_Wire_V1_Request()
        request.method = path
        request.metadata = metadata
        request.timeoutMs = timeoutMilliseconds
        // Sized without the payload so a large payload is not copied just to be counted.
        let shellSize: Int
        do {
            let shell: [UInt8] = try request.serializedBytes()
            shellSize = shell.count
        } catch {
            throw RPCError(code: .internal, message: "request for \(path) does not encode", cause: error)
        }
        request.payload = payload
        self.request = request
        sizeWithoutCallID = shellSize + Self.lengthDelimitedFieldSize(payload.count, omittedWhenEmpty: true)
    }

    /// The size of the Frame body once `callID` is set: field tags are one byte each.
    func frameSize(callID: UInt64) -> Int {
        let requestSize = sizeWithoutCallID + 1 + Self.varintSize(callID)
        return Self.lengthDelimitedFieldSize(requestSize, omittedWhenEmpty: false)
    }

    func frame(callID: UInt64) -> Rapport_Wire_V1_Frame {
        var request = request
        request.callID = callID
        var frame = Rapport_Wire_V1_Frame()
        frame.request = request
        return frame
    }

    /// Tag + length varint + body; proto3 leaves out empty scalar bytes fields entirely.
    private static func lengthDelimitedFieldSize(_ length: Int, omittedWhenEmpty: Bool) -> Int {
        if length == 0 && omittedWhenEmpty { return 0 }
        return 1 + varintSize(UInt64(length)) + length
    }

    static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }
}
