import Dispatch
import Foundation
import RapportApp

/// Reloads the principals file on SIGHUP, as daemons reload their configuration; a file that
/// does not load keeps the old principals (the daemon logs why).
final class PrincipalsReloadSignal {
    private let source: any DispatchSourceSignal

    init(daemon: Daemon) {
        // Ignored first, so the default action (exit) never races the handler.
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { daemon.reloadPrincipals() }
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
