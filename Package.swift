// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Rapport",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RapportClient", targets: ["RapportClient"]),
        .library(name: "RapportProto", targets: ["RapportProto"]),
        .library(name: "RapportTesting", targets: ["RapportTesting"]),
        .executable(name: "rapportd", targets: ["rapportd"]),
        .executable(name: "rapport-probe", targets: ["rapport-probe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // The wire layer: frame envelope, length-prefixed codec, status codes, method descriptors.
        .target(
            name: "RapportWire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Generated messages and service descriptors of every served API (from proto/).
        .target(
            name: "RapportProto",
            dependencies: [
                "RapportWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Connection handling, call dispatch, deadlines, the method registry, graceful shutdown.
        .target(
            name: "RapportServer",
            dependencies: [
                "RapportWire",
                "RapportAccess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // SHA-256 of bearer tokens.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Generated server protocols, one per service in proto/, which services implement.
        .target(
            name: "RapportServerStubs",
            dependencies: ["RapportServer", "RapportProto"]
        ),
        // Who may call what: permissions, roles, principals and method access rules. Pure, no I/O.
        .target(name: "RapportAccess"),
        // Domain logic, pure Swift with no I/O: the customer model, validation, segmentation, consent.
        .target(name: "RapportDomain"),
        // The domain ↔ rapport.v1 message mapping of profiles, segments and enums: the services map
        // requests and replies with it, the store keeps profiles and segments as those messages.
        .target(
            name: "RapportProtoMapping",
            dependencies: [
                "RapportDomain",
                "RapportProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The SQLite store (GRDB): schema, migrations, customers and consent, behind a small interface.
        .target(
            name: "RapportStore",
            dependencies: [
                "RapportDomain",
                "RapportProtoMapping",
                "RapportProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API, for the write-ahead log hook GRDB does not wrap.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // AES-GCM for page tokens.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // rapport.v1.CustomerService: maps the wire messages to the domain and the store.
        .target(
            name: "RapportServices",
            dependencies: [
                "RapportAccess", "RapportServer", "RapportServerStubs", "RapportProto", "RapportProtoMapping", "RapportWire", "RapportDomain",
                "RapportStore",
            ]
        ),
        // Health, reflection and diagnostics: the services every daemon serves.
        .target(
            name: "RapportBuiltinServices",
            dependencies: ["RapportServer", "RapportServerStubs", "RapportProto", "RapportWire"]
        ),
        // The assembled daemon: configuration, services, server; shared by rapportd and tests.
        .target(
            name: "RapportApp",
            dependencies: [
                "RapportAccess",
                "RapportProto",
                "RapportServer",
                "RapportBuiltinServices",
                "RapportServices",
                "RapportDomain",
                "RapportStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The Swift client library other services import.
        .target(
            name: "RapportClient",
            dependencies: [
                "RapportWire",
                "RapportProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Starts a real daemon in-process on 127.0.0.1 port 0 for tests.
        .target(
            name: "RapportTesting",
            dependencies: [
                "RapportAccess",
                "RapportApp",
                "RapportClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // glibc's allocator settings for the daemon (C: `mallopt` and its constants are not
        // visible through Swift's Glibc module).
        .target(name: "CRapportAllocator"),
        .executableTarget(
            name: "rapportd",
            dependencies: [
                "CRapportAllocator",
                "RapportApp",
                "RapportDomain",
                "RapportStore",
                // `rapportd rotate-key` asks the running daemon to rotate (it holds the data directory).
                "RapportClient",
                "RapportProto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "rapport-probe",
            dependencies: [
                "RapportClient",
                "RapportProto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The README's Swift example, kept compiling here and run by scripts/readme-examples.
        .executableTarget(
            name: "rapport-readme-example",
            dependencies: ["RapportClient", "RapportProto", "RapportWire"],
            path: "Examples/ReadmeExample"
        ),
        .testTarget(
            name: "RapportWireTests",
            dependencies: [
                "RapportWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RapportDomainTests",
            dependencies: ["RapportDomain"]
        ),
        .testTarget(
            name: "RapportStoreTests",
            dependencies: ["RapportStore", "RapportDomain", "RapportProtoMapping", "RapportProto",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "RapportServicesTests",
            dependencies: ["RapportServices", "RapportServer", "RapportStore", "RapportDomain", "RapportProto", "RapportWire",
                           "RapportProtoMapping", "RapportAccess",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "RapportAppTests",
            dependencies: ["RapportApp", "RapportDomain", "RapportStore", "RapportProtoMapping", "RapportServer", "RapportWire"]
        ),
        .testTarget(
            name: "RapportEndToEndTests",
            dependencies: [
                "RapportTesting",
                "RapportClient",
                "RapportServer",
                "RapportProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // Reads a stopped daemon's database file directly (what an operator's backup holds).
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
