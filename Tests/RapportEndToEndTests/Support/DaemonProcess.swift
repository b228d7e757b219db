import Foundation
import RapportClient
#if canImport(Glibc)
import Glibc
#endif

/// A `rapportd` child process on a free port with its own data directory, for measuring the
/// daemon alone: in-process, its memory would mix with the test process's (the Swift client's
/// buffers, other tests running in parallel).
struct DaemonProcess {
    let process: SpawnedProcess
    let directory: URL
    let port: Int

    var pid: Int32 { process.pid }
    /// The daemon's data directory (inside `directory`).
    var dataDirectory: URL { directory.appendingPathComponent("data") }
    /// The local admin token the daemon wrote into its data directory (it runs without a principals file).
    var localToken: String? {
        try? LocalCredential.read(dataDirectory.appendingPathComponent(LocalCredential.tokenFileName).path)
    }
    /// A client configuration sending the local admin token.
    var clientConfiguration: ClientConfiguration {
        ClientConfiguration(bearerToken: localToken)
    }

    /// Starts `rapportd` (`Probe.rapportd`: the release binary under scripts/test) with
    /// `arguments` after the port and data directory.
    ///
    /// - Parameters:
    ///   - directory: where the data directory and the log go; a new temporary one when nil, an
    ///     earlier daemon's `directory` to restart on its data.
    ///   - umask: the daemon's umask (octal, as the shell's `umask` takes it); the test's when nil.
    ///   - unprivileged: run it as the `nobody` user when the tests run as root (through `setpriv`,
    ///     as a service manager would run a unit with its own user); a test run by another user
    ///     runs the daemon as that user anyway.
    static func start(
        _ arguments: [String] = [], in directory: URL? = nil, umask: String? = nil, unprivileged: Bool = false
    ) async throws -> DaemonProcess {
        let executable = Probe.rapportd
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ProcessRun.Missing(path: executable.path, hint: "run `swift build` before `swift test`")
        }
        let dropsPrivileges = unprivileged && getuid() == 0
        // Under /tmp when dropping privileges: the user must reach the directory, and a
        // temporary directory made by root for its own use may be closed to other users.
        let parent = dropsPrivileges ? URL(fileURLWithPath: "/tmp") : FileManager.default.temporaryDirectory
        let directory = directory ?? parent.appendingPathComponent("rapportd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = directory.appendingPathComponent("data")
        var program = executable.path
        var programArguments = ["--port", "0", "--data-dir", data.path] + arguments
        if dropsPrivileges {
            try Unprivileged.checkReachable(executable)
            try Unprivileged.prepare(directory: directory, data: data)
            program = Unprivileged.setpriv
            programArguments = Unprivileged.arguments + [executable.path] + programArguments
        }
        // The log goes to a file: a pipe nobody drains would block the daemon once full.
        let log = directory.appendingPathComponent("rapportd.log")
        try? FileManager.default.removeItem(at: log)
        // The umask is the process's, shared by every test running beside this one: set it in a
        // shell that then becomes the daemon.
        if let umask {
            programArguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", program] + programArguments
            program = "/bin/sh"
        }
        let process = try SpawnedProcess(program, programArguments, stdout: "/dev/null", stderr: log.path)
        var port: Int?
        _ = await eventually(within: .seconds(30)) {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            port = text.range(of: #"listening on [0-9.]+:[0-9]+"#, options: .regularExpression)
                .flatMap { Int(text[$0].split(separator: ":").last ?? "") }
            return port != nil || !process.isRunning
        }
        guard let port else {
            let running = DaemonProcess(process: process, directory: directory, port: 0)
            // Read before `stop` removes the directory the log is in.
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            _ = await running.stop()
            throw StartFailure(log: text)
        }
        return DaemonProcess(process: process, directory: directory, port: port)
    }

    /// Anonymous resident memory in bytes (heap, stacks): `/proc/PID/statm`'s resident pages less
    /// its shared ones, so file pages SQLite maps do not count as the daemon's own memory.
    func anonymousResidentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8)
            .split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (fields[1] - fields[2]) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// SIGTERM, waits for the exit, removes the data directory; the exit status (of the first
    /// exit, when the daemon was stopped before).
    func stop() async -> Int32 {
        let status = await terminate()
        try? FileManager.default.removeItem(at: directory)
        return status
    }

    /// SIGTERM and waits for the exit (SIGKILL after 30 s), keeping the data directory; the exit status.
    func terminate() async -> Int32 {
        process.send(SIGTERM)
        let exited = await eventually(within: .seconds(30)) { !process.isRunning }
        if !exited { process.send(SIGKILL) }
        return await process.waitForExit()
    }

    /// What the daemon has logged so far.
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("rapportd.log"), encoding: .utf8)) ?? ""
    }

    /// Running the daemon as `nobody`.
    enum Unprivileged {
        static let setpriv = "/usr/bin/setpriv"
        static let arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
        /// `nobody`'s user and group ids on Debian.
        static let userID: uid_t = 65_534
        static let groupID: gid_t = 65_534

        /// Fails with the directory to open when `nobody` could not run `executable`: every
        /// directory above it must be searchable by other users.
        static func checkReachable(_ executable: URL) throws {
            var directory = executable.deletingLastPathComponent()
            while directory.path != "/" {
                let permissions = (try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? NSNumber)?
                    .intValue ?? 0
                guard permissions & 0o001 != 0 else {
                    throw ProcessRun.Missing(
                        path: executable.path, hint: "nobody cannot reach it: \(directory.path) is not searchable by other users")
                }
                directory = directory.deletingLastPathComponent()
            }
        }

        /// Opens `directory` to other users and gives `data` to `nobody`.
        static func prepare(directory: URL, data: URL) throws {
            guard FileManager.default.isExecutableFile(atPath: setpriv) else {
                throw ProcessRun.Missing(path: setpriv, hint: "install util-linux")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: false)
            guard chown(data.path, userID, groupID) == 0 else {
                throw ProcessRun.Missing(path: data.path, hint: "cannot give it to nobody: errno \(errno)")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: data.path)
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        let log: String
        var description: String { "rapportd did not report its port; its log:\n\(log)" }
    }
}
