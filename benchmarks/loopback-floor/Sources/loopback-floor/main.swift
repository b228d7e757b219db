// loopback-floor: the round-trip latency of one ~40-byte frame between two processes on 127.0.0.1.
//
//   loopback-floor [--mode posix|nio|nio-loop|all] [--duration SECONDS] [--port PORT]
//   loopback-floor serve [--mode posix|nio] [--port PORT]     (also: --server-only)
//
// Without --port the client starts its server as a child process (this executable with `serve`)
// on a free port, one per mode, and stops it afterwards; with --port it uses a server already
// running there. See README.md.
import Foundation

/// What is measured: a client and the kind of server it runs against.
enum Mode: String, CaseIterable {
    case posix
    case nio
    case nioLoop = "nio-loop"

    /// The server implementation this mode's client talks to.
    var server: ServerKind { self == .posix ? .posix : .nio }
}

/// The echo server implementations.
enum ServerKind: String {
    case posix
    case nio
}

/// The parsed command line.
struct Options {
    var serve = false
    var child = false
    var modes = Mode.allCases
    var serverKind = ServerKind.posix
    var duration = 5.0
    var port: Int?

    init(_ arguments: ArraySlice<String>) {
        var arguments = arguments
        while let argument = arguments.popFirst() {
            switch argument {
            case "serve", "--server-only": serve = true
            case "--child": child = true
            case "--mode":
                let value = arguments.popFirst() ?? ""
                if value == "all" {
                    modes = Mode.allCases
                } else if let mode = Mode(rawValue: value) {
                    modes = [mode]
                    serverKind = mode.server
                } else {
                    usage("unknown mode '\(value)'")
                }
            case "--duration":
                guard let value = arguments.popFirst().flatMap(Double.init), value > 0 else { usage("bad --duration") }
                duration = value
            case "--port":
                guard let value = arguments.popFirst().flatMap(Int.init), (0...65535).contains(value) else {
                    usage("bad --port")
                }
                port = value
            case "-h", "--help": usage(nil)
            default: usage("unknown argument '\(argument)'")
            }
        }
    }
}

/// The echo server running as a child process, stopped with `stop()`.
struct ServerChild {
    let process: Process
    let port: Int
    /// Kept open while the child should live: the child exits when it reads EOF here.
    let lifeline: Pipe

    /// Starts `serve --mode KIND --port 0 --child` and reads the port it announces.
    static func launch(_ kind: ServerKind) throws -> ServerChild {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        process.arguments = ["serve", "--mode", kind.rawValue, "--port", "0", "--child"]
        let output = Pipe()
        let lifeline = Pipe()
        process.standardOutput = output
        process.standardInput = lifeline
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw SocketError("server exited before announcing its port", code: EPIPE) }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SocketError("server announced no port", code: EPROTO)
        }
        return ServerChild(process: process, port: port, lifeline: lifeline)
    }

    /// Closes the lifeline (the child exits on its EOF) and waits for the child to end.
    func stop() {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Round trips excluded from the figures at the start of each run (connection and caches warming up).
let warmUpRoundTrips = 200
/// The largest frame body the servers accept.
let maxFrameBody = 65_536

/// The request: a 4-byte big-endian length (36) and a 36-byte body, 40 bytes in all.
func requestFrame() -> [UInt8] {
    let body = Array(repeating: UInt8(ascii: "x"), count: 36)
    return withUnsafeBytes(of: UInt32(body.count).bigEndian) { Array($0) } + body
}

/// CLOCK_MONOTONIC in nanoseconds.
func nowNanos() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Writes `line` to standard output at once (no buffering, so a parent or a pipe sees it now).
func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data("\(line)\n".utf8))
}

/// Prints the server's port on its own line, for the parent to read.
func announce(port: Int) {
    printLine("\(port)")
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("loopback-floor: \(message)\n".utf8))
}

func usage(_ problem: String?) -> Never {
    if let problem { printError(problem) }
    printError("usage: loopback-floor [--mode posix|nio|nio-loop|all] [--duration SECONDS] [--port PORT]\n"
        + "       loopback-floor serve [--mode posix|nio] [--port PORT]")
    exit(problem == nil ? 0 : 2)
}

/// One line of figures: round trips counted, p50/p90/p99 in microseconds.
func summary(_ mode: Mode, _ samples: [UInt64], duration: Double) -> String {
    let sorted = samples.dropFirst(warmUpRoundTrips).sorted()
    guard !sorted.isEmpty else { return "\(mode.rawValue): no round trips measured" }
    func percentile(_ q: Double) -> String {
        String(format: "%.1f µs", Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) / 1000)
    }
    let name = mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
    return "\(name) round trips: \(sorted.count) in \(duration) s  "
        + "p50: \(percentile(0.5))  p90: \(percentile(0.9))  p99: \(percentile(0.99))"
}

/// Runs one mode's client against `port` for `duration` seconds, on a pool thread, not the main actor.
func measure(_ mode: Mode, port: Int, duration: Double) async throws -> [UInt64] {
    try await Task.detached {
        switch mode {
        case .posix: try runPosixClient(port: port, duration: duration)
        case .nio: try await runNIOClient(port: port, duration: duration)
        case .nioLoop: try await runNIOLoopClient(port: port, duration: duration)
        }
    }.value
}

let options = Options(CommandLine.arguments.dropFirst())
do {
    if options.serve {
        // A child spawned from a Dispatch thread inherits its blocked signals: let SIGTERM and SIGINT in.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        if options.child {
            // Exit when the parent closes the lifeline pipe or goes away (EOF on standard input).
            Thread {
                var byte: UInt8 = 0
                while read(0, &byte, 1) > 0 {}
                exit(0)
            }.start()
        }
        switch options.serverKind {
        case .posix: try runPosixServer(port: options.port ?? 0)
        case .nio: try runNIOServer(port: options.port ?? 0)
        }
    }
    for mode in options.modes {
        let child = options.port == nil ? try ServerChild.launch(mode.server) : nil
        defer { child?.stop() }
        guard let port = options.port ?? child?.port else { usage("no port") }
        let samples = try await measure(mode, port: port, duration: options.duration)
        printLine(summary(mode, samples, duration: options.duration))
    }
} catch {
    printError("\(error)")
    exit(1)
}
