#if canImport(Glibc)
import Glibc
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocketType = SOCK_STREAM
#endif
import Foundation

/// A failed socket call, with its name and errno.
struct SocketError: Error, CustomStringConvertible {
    let call: String
    let code: Int32

    init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// A blocking TCP socket on 127.0.0.1 (its file descriptor; reads and writes retry on EINTR).
struct BlockingSocket: Sendable {
    let fd: Int32

    /// A listening socket on 127.0.0.1:`port` (0 picks a free port), and the port it got.
    static func listen(port: Int) throws -> (BlockingSocket, Int) {
        let socket = try BlockingSocket(fd: Self.check("socket", sysSocket()))
        var one: Int32 = 1
        _ = setsockopt(socket.fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: port)
        try withSockaddr(&address) { _ = try check("bind", bind(socket.fd, $0, $1)) }
        _ = try check("listen", sysListen(socket.fd, 16))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withSockaddr(&address) { pointer, _ in _ = try check("getsockname", getsockname(socket.fd, pointer, &length)) }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket connected to 127.0.0.1:`port`, with TCP_NODELAY.
    static func connect(port: Int) throws -> BlockingSocket {
        let socket = try BlockingSocket(fd: Self.check("socket", sysSocket()))
        var address = loopbackAddress(port: port)
        try withSockaddr(&address) { _ = try check("connect", sysConnect(socket.fd, $0, $1)) }
        try socket.setNoDelay()
        return socket
    }

    /// The next connection, with TCP_NODELAY.
    func accept() throws -> BlockingSocket {
        let connection = try BlockingSocket(fd: Self.check("accept", sysAccept(fd)))
        try connection.setNoDelay()
        return connection
    }

    func setNoDelay() throws {
        var one: Int32 = 1
        _ = try Self.check("setsockopt(TCP_NODELAY)",
                           setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)))
    }

    /// Writes every byte of `bytes`.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SocketError("write")
            }
            offset += written
        }
    }

    /// Fills `buffer`; false if the peer closed the connection first.
    func readExactly(_ buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        var offset = 0
        while offset < buffer.count {
            let got = read(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if got < 0 {
                if errno == EINTR { continue }
                throw SocketError("read")
            }
            if got == 0 { return false }
            offset += got
        }
        return true
    }

    func close() { _ = sysClose(fd) }

    private static func check(_ call: String, _ result: Int32) throws -> Int32 {
        if result < 0 { throw SocketError(call) }
        return result
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func withSockaddr(
        _ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) throws -> Void
    ) throws {
        try withUnsafeMutablePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}

// The libc calls whose names the methods above shadow.
private func sysSocket() -> Int32 { socket(AF_INET, streamSocketType, 0) }
private func sysListen(_ fd: Int32, _ backlog: Int32) -> Int32 { listen(fd, backlog) }
private func sysConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
private func sysAccept(_ fd: Int32) -> Int32 { accept(fd, nil, nil) }
private func sysClose(_ fd: Int32) -> Int32 { close(fd) }

/// `posix` server: one thread per connection, blocked in read, echoing each whole frame.
func runPosixServer(port: Int) throws -> Never {
    let (listener, boundPort) = try BlockingSocket.listen(port: port)
    announce(port: boundPort)
    while true {
        let connection = try listener.accept()
        Thread { echoFrames(on: connection) }.start()
    }
}

/// Reads frames (4-byte big-endian length, then the body) and writes each back, until EOF or an error.
private func echoFrames(on connection: BlockingSocket) {
    defer { connection.close() }
    var buffer = [UInt8](repeating: 0, count: 4 + maxFrameBody)
    do {
        try buffer.withUnsafeMutableBytes { bytes in
            while try connection.readExactly(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<4])) {
                let length = Int(bytes.load(as: UInt32.self).bigEndian)
                guard length <= maxFrameBody else { return }
                let frame = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<(4 + length)])
                guard try connection.readExactly(UnsafeMutableRawBufferPointer(rebasing: frame[4...])) else { return }
                try connection.writeAll(UnsafeRawBufferPointer(frame))
            }
        }
    } catch {
        printError("echo: \(error)")
    }
}

/// `posix` client: writes a frame, blocks until the echo is read, and times each round trip.
func runPosixClient(port: Int, duration: Double) throws -> [UInt64] {
    let socket = try BlockingSocket.connect(port: port)
    defer { socket.close() }
    let request = requestFrame()
    var response = [UInt8](repeating: 0, count: request.count)
    var samples = [UInt64]()
    samples.reserveCapacity(1 << 20)
    let deadline = nowNanos() + UInt64(duration * 1e9)
    try request.withUnsafeBytes { out in
        try response.withUnsafeMutableBytes { answer in
            while true {
                let start = nowNanos()
                try socket.writeAll(out)
                guard try socket.readExactly(answer) else { throw SocketError("read", code: ECONNRESET) }
                let end = nowNanos()
                samples.append(end - start)
                if end >= deadline { break }
            }
        }
    }
    guard response == request else { throw SocketError("echo mismatch", code: EPROTO) }
    return samples
}
