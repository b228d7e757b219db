// swift-tools-version: 6.1
import PackageDescription

// The loopback floor: round-trip latency of one small frame between two processes on
// 127.0.0.1, with blocking POSIX sockets and with SwiftNIO (see README.md).
let package = Package(
    name: "loopback-floor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "loopback-floor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
