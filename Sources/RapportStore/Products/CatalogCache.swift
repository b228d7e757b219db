import Synchronization
import RapportDomain

/// The active products, kept in memory between catalog writes.
///
/// Why: recommendations rank against the whole catalog on every request, and decoding 26 product
/// rows per request cost more than the ranking. The catalog changes only through this store's
/// `upsertProduct` and `retireProduct` (one daemon owns the data directory), which call
/// `invalidate()` after their commit and before they answer, so a caller that wrote a product
/// sees it in its next recommendation.
final class CatalogCache: Sendable {
    private struct State {
        var generation = 0
        var products: [Product]?
    }

    private let state = Mutex(State())

    /// The kept catalog, or `read()`'s, kept unless a write committed while it ran.
    func products(read: () throws -> [Product]) rethrows -> [Product] {
        let (kept, generation) = state.withLock { ($0.products, $0.generation) }
        if let kept { return kept }
        let products = try read()
        state.withLock { state in
            if state.generation == generation { state.products = products }
        }
        return products
    }

    /// Forgets the kept catalog; called after every committed product write.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.products = nil
        }
    }
}
