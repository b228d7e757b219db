import RapportServer

/// Tells every observer of a refused call: the audit trail always, and whatever the embedder adds.
struct RefusalObservers: CallRefusalObserver {
    let observers: [any CallRefusalObserver]

    init(_ observers: [any CallRefusalObserver]) {
        self.observers = observers
    }

    func callRefused(_ refusal: CallRefusal) {
        for observer in observers {
            observer.callRefused(refusal)
        }
    }
}
