import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The Swift runtime's crash backtracer, set up for a supervised daemon.
///
/// On Linux the runtime catches a crash (a trap, a bad pointer, SIGSEGV …) and runs
/// `swift-backtrace`, which by default symbolicates every frame of every thread with line numbers
/// and inlined frames from DWARF: for a release `rapportd` with its event-loop and pool threads
/// that took over ten seconds, while the listening socket stayed open and every connection hung,
/// instead of the process dying at once so its supervisor restarts it. The runtime reads its
/// settings from `SWIFT_BACKTRACE` once, when the process starts, so `rapportd` re-executes
/// itself (same pid, arguments and environment) with `productionSettings` when the variable is
/// not set. An operator's own `SWIFT_BACKTRACE` — even empty — is left alone: `enable=no` turns
/// crash catching off, `symbolicate=full` brings line numbers back for a debugging session.
enum CrashBacktraces {
    /// The crashed thread only, addresses without symbol lookups (which took seconds even in
    /// "fast" mode), the images those addresses fall in with their build ids (enough to
    /// symbolicate later against the same binary: README, "When rapportd crashes"), no
    /// interaction, no colour, to standard error (the daemon's log).
    static let productionSettings =
        "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=mentioned,symbolicate=off,output-to=stderr"

    /// Re-executes the process with `productionSettings` unless `SWIFT_BACKTRACE` is set; returns
    /// (doing nothing) when it is set or the re-execution is not possible.
    static func useProductionSettings() {
        guard getenv("SWIFT_BACKTRACE") == nil else { return }
        guard setenv("SWIFT_BACKTRACE", productionSettings, 1) == 0 else { return }
        // execv replaces the whole process image (every thread), keeping the pid and open files.
        // The resolved path, not /proc/self/exe, so the process is still named rapportd.
        var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        if length > 0 {
            execv(path, CommandLine.unsafeArgv)
        }
        // Still here: /proc is not mounted or exec is refused. Run with the runtime's defaults,
        // and do not pretend the setting applies.
        unsetenv("SWIFT_BACKTRACE")
    }
}
