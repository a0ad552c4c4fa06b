// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stockroom",
    // Swift 6 (the tools above: strict concurrency, typed throws) on Linux; on macOS, 15 or newer: the
    // Synchronization module's Mutex and Atomic, which the databases and the logs use, start there.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stockroom", targets: ["stockroom"]),
        .library(name: "StockroomCore", targets: ["StockroomCore"]),
        .executable(name: "stockroom-bench", targets: ["StockroomBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph through postgres-nio; SHA-256 digests of session ids and API tokens.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // Already in the graph through Hummingbird; named so our code can use HTTPField names directly.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // `/metrics` in the Prometheus text format, from registries each application owns (no global state).
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Server-rendered pages for shop staff (Sources/StockroomCore/Web).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Already in the graph through Hummingbird and postgres-nio; named because our own targets import them.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .executableTarget(
            name: "stockroom",
            dependencies: [
                "StockroomCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The shop itself: models, services, repositories, the inventory primitive, events as values, the
        // databases. No HTTP: Hummingbird, HTTPTypes and the pages are not in its dependencies (ARCHITECTURE.md).
        .target(
            name: "StockroomDomain",
            dependencies: [
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "SQLiteTuning",
            ],
            // The server's answers are written by the domain's generic JSON writer and rows read by its generic
            // decoders: without their bodies across the module boundary the server could not specialize them, and a
            // page of 250 products answered ~7 % slower than from one module (BENCHMARKS.md, the domain split).
            swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
        ),
        // The HTTP API, the staff pages and the server around them: clients of StockroomDomain.
        .target(
            name: "StockroomCore",
            dependencies: [
                "StockroomDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTPS without a proxy (STOCKROOM_TLS_CERT/KEY): the tablet's camera and an installable web app
                // need a secure context. Same hummingbird package; swift-nio-ssl is already in the graph.
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                // No SQLKit or database driver: the server speaks to the databases only through the domain's
                // services, and the import check (`.ci/run`) refuses SQL written here.
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Web/Resources")],
            // A module's members only where it is imported: SQLKit's methods on the domain's `Transaction.db`
            // stay out of reach here, as SQLKit itself is (ARCHITECTURE.md).
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // One call into SQLite that Swift cannot make (a variadic C function): the writer's plan-once setting.
        .target(name: "SQLiteTuning"),
        // The load generator: `swift run -c release stockroom-bench <scenario>` (see BENCHMARKS.md).
        .executableTarget(
            name: "StockroomBench",
            dependencies: [
                "StockroomCore",
                "ChildProcesses",
                "BrowserDriver",
                // The ceiling's hello-world server, the smallest Hummingbird application.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/StockroomBench"
        ),
        // Spawning and reaping child processes, for the tests and the benchmarks (not the server).
        .target(name: "ChildProcesses"),
        // A headless Chromium driven over WebDriver: the browser tests and the screenshots command.
        .target(name: "BrowserDriver", dependencies: ["ChildProcesses"]),
        .testTarget(
            name: "StockroomCoreTests",
            dependencies: [
                "StockroomCore",
                "StockroomDomain",
                "ChildProcesses",
                "BrowserDriver",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ]
)
