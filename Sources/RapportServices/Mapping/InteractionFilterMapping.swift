import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportStore
import SwiftProtobuf

extension InteractionFilter {
    /// The filter of a ListInteractions or ExportInteractions request.
    ///
    /// Unset bounds do not filter; set ones must be valid timestamps with `occurred_from` before
    /// `occurred_before`. Channels and kinds must each be a known, specified value (an empty
    /// list means all).
    init(
        from: Google_Protobuf_Timestamp?, before: Google_Protobuf_Timestamp?,
        channels: [Rapport_V1_Channel], kinds: [Rapport_V1_InteractionKind]
    ) throws(ValidationFailure) {
        let range = try TimeRange(from: from, before: before)
        var channelSet: Set<Channel> = []
        for (index, channel) in channels.enumerated() {
            channelSet.insert(try channel.required(
                field: "channels[\(index)]", reason: "must be a channel such as CHANNEL_BRANCH; leave channels empty for all"))
        }
        var kindSet: Set<InteractionKind> = []
        for (index, kind) in kinds.enumerated() {
            kindSet.insert(try kind.required(
                field: "kinds[\(index)]", reason: "must be a kind such as INTERACTION_KIND_COMPLAINT; leave kinds empty for all"))
        }
        self.init(occurredFrom: range.from, occurredBefore: range.before, channels: channelSet, kinds: kindSet)
    }
}

/// A request's `occurred_from` (inclusive) and `occurred_before` (exclusive), each optional.
struct TimeRange: Equatable {
    var from: Date?
    var before: Date?

    /// - Throws: a failure naming the field when a bound is not a valid timestamp, or naming
    ///   `occurred_before` when it does not come after `occurred_from`.
    init(from: Google_Protobuf_Timestamp?, before: Google_Protobuf_Timestamp?) throws(ValidationFailure) {
        self.from = try from?.date(field: "occurred_from")
        self.before = try before?.date(field: "occurred_before")
        if let start = self.from, let end = self.before, start >= end {
            throw ValidationFailure(
                field: "occurred_before",
                reason: "must be after occurred_from (occurred_from is inclusive, occurred_before exclusive)")
        }
    }
}

extension Rapport_V1_ListInteractionsRequest {
    /// The request's filter (see `InteractionFilter.init(from:before:channels:kinds:)`).
    func filter() throws(ValidationFailure) -> InteractionFilter {
        try InteractionFilter(
            from: hasOccurredFrom ? occurredFrom : nil, before: hasOccurredBefore ? occurredBefore : nil,
            channels: channels, kinds: kinds)
    }
}

extension Rapport_V1_ExportInteractionsRequest {
    /// The request's filter (see `InteractionFilter.init(from:before:channels:kinds:)`).
    func filter() throws(ValidationFailure) -> InteractionFilter {
        try InteractionFilter(
            from: hasOccurredFrom ? occurredFrom : nil, before: hasOccurredBefore ? occurredBefore : nil,
            channels: channels, kinds: kinds)
    }
}
