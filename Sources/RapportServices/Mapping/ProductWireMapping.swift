import RapportDomain
import RapportProto
import RapportProtoMapping

extension Product {
    /// The reply form: the definition plus the version fields the store assigned.
    var wire: Rapport_V1_Product {
        var message = definitionWire
        message.active = active
        message.createTime = .millisecondPrecise(createdAt)
        message.updateTime = .millisecondPrecise(updatedAt)
        if let retiredAt { message.retireTime = .millisecondPrecise(retiredAt) }
        message.etag = etag
        message.revision = Int32(clamping: revision)
        return message
    }
}
