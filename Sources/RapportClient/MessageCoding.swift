import Foundation
import RapportWire
import SwiftProtobuf

/// Protobuf encoding and decoding with failures turned into the status gRPC uses for them.
enum MessageCoding {
    static func encode<Message: SwiftProtobuf.Message>(_ message: Message) throws(RPCError) -> Data {
        do {
            return try message.serializedBytes()
        } catch {
            throw RPCError(
                code: .internal,
                message: "request does not encode as \(Message.protoMessageName)",
                cause: error
            )
        }
    }

    /// An empty payload decodes as the default message, which is how proto3 sends one.
    static func decode<Message: SwiftProtobuf.Message>(
        _: Message.Type, from bytes: some SwiftProtobufContiguousBytes
    ) throws(RPCError) -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .internal,
                message: "response does not decode as \(Message.protoMessageName)",
                cause: error
            )
        }
    }
}
