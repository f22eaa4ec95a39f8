// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "BriefSync",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BriefSyncModel", targets: ["BriefSyncModel"]),
        .library(name: "BriefSyncClient", targets: ["BriefSyncClient"]),
        .library(name: "BriefSyncServer", targets: ["BriefSyncServer"]),
        .executable(name: "brief", targets: ["brief"]),
        .executable(name: "briefd", targets: ["briefd"]),
        .executable(name: "brief-bench", targets: ["brief-bench"]),
        .executable(name: "brief-fuzz", targets: ["brief-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Already in the graph through Hummingbird: named for the one channel handler of ours.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The PostgreSQL backend (issue 11); only briefd and the tests link it.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "BriefSyncModel",
            path: "Shared",
            swiftSettings: strict
        ),
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl"
        ),
        .systemLibrary(
            name: "CSQLiteConfig",
            path: "Sources/CSQLiteConfig"
        ),
        .target(
            name: "BriefSyncClient",
            dependencies: [
                "BriefSyncModel",
                "CCurl",
                "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Client",
            swiftSettings: strict
        ),
        .target(
            name: "BriefSyncServer",
            dependencies: [
                "BriefSyncModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Server",
            exclude: ["Postgres"],
            swiftSettings: strict
        ),
        .target(
            name: "BriefSyncPostgres",
            dependencies: [
                "BriefSyncModel",
                "BriefSyncServer",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Server/Postgres",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "brief",
            dependencies: [
                // No server here: `brief` starts for every command, and `brief demo` runs the
                // `briefd demo` beside it (an executable dependency would link all of briefd's).
                "BriefSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/brief",
            swiftSettings: strict,
            plugins: ["CommitStamp"]
        ),
        .executableTarget(
            name: "briefd",
            dependencies: [
                "BriefSyncClient",
                "BriefSyncServer",
                "BriefSyncPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Sources/briefd",
            swiftSettings: strict,
            plugins: ["CommitStamp"]
        ),
        // `--version` names the commit it was built from (`Sources/CommitStamp`).
        .plugin(name: "CommitStamp", capability: .buildTool(), path: "Sources/CommitStamp"),
        .executableTarget(
            name: "brief-bench",
            dependencies: [
                "BriefSyncClient", "BriefSyncModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/brief-bench",
            swiftSettings: strict
        ),
        .target(
            name: "FuzzTargets",
            dependencies: ["BriefSyncModel"],
            path: "Sources/FuzzTargets",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "brief-fuzz",
            dependencies: ["FuzzTargets"],
            path: "Sources/brief-fuzz",
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: ["BriefSyncModel"],
            path: "Sources/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "BriefSyncModelTests",
            dependencies: ["BriefSyncModel", "TestSupport", "FuzzTargets"],
            exclude: ["FuzzCorpus"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BriefSyncClientTests",
            dependencies: ["BriefSyncClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BriefSyncServerTests",
            dependencies: [
                "BriefSyncServer", "BriefSyncPostgres", "BriefSyncClient", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "brief", "briefd", "TestSupport", "BriefSyncPostgres", "BriefSyncServer",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
    ]
)
