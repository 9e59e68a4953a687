// swift-tools-version: 6.0
//
// Sluice: an outbound data-loss-prevention filter for Postfix, built as a milter.
// C libraries come in as system-library targets; everything else is the toolchain's own.

import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-pdf", targets: ["sluice-pdf"]),
        // The pipeline's stages, for the fuzzing harnesses under fuzz/.
        .library(
            name: "SluiceStages",
            targets: ["SluiceMIME", "SluiceExtract", "SluiceDetect", "SluicePolicy"]),
    ],
    targets: [
        // C libraries from Debian, one module each.
        .systemLibrary(
            name: "CMilter",
            pkgConfig: "milter",
            providers: [.apt(["libmilter-dev"])]
        ),
        .systemLibrary(
            name: "CMagic",
            pkgConfig: "libmagic",
            providers: [.apt(["libmagic-dev"])]
        ),
        .systemLibrary(
            name: "CHyperscan",
            pkgConfig: "libhs",
            providers: [.apt(["libhyperscan-dev"])]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "COpenCC",
            pkgConfig: "opencc",
            providers: [.apt(["libopencc-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev"])]
        ),
        // Fixed-arity wrappers for libmilter's variadic calls.
        .target(
            name: "CMilterShim",
            dependencies: ["CMilter"]
        ),

        // The pipeline, one stage per target.
        .target(name: "SluiceMIME"),
        .target(
            name: "SluiceExtract",
            dependencies: ["CMagic", "CArchive"]
        ),
        .target(
            name: "SluiceDetect",
            dependencies: ["CHyperscan", "COpenCC"]
        ),
        .target(
            name: "SluiceScan",
            dependencies: ["SluiceMIME", "SluiceExtract", "SluiceDetect"]
        ),
        .target(
            name: "SluicePolicy",
            dependencies: ["SluiceScan"]
        ),
        .target(name: "SluiceSMTP"),
        .target(
            name: "SluiceStore",
            dependencies: ["CCrypto", "CSQLite", "SluiceSMTP"]
        ),
        .target(
            name: "SluiceNotify",
            dependencies: ["SluiceSMTP"]
        ),
        .target(
            name: "SluiceMilter",
            dependencies: [
                "CMilter", "CMilterShim", "SluicePolicy", "SluiceScan", "SluiceStore",
                "SluiceNotify",
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceMilter", "SluicePolicy", "SluiceScan", "SluiceDetect", "SluiceStore",
            ]
        ),

        // The PDF reader process extraction keeps running (C, on poppler-glib).
        .executableTarget(
            name: "sluice-pdf",
            dependencies: ["CPoppler"]
        ),

        // Detection speed for bench/engine.sh.
        .executableTarget(
            name: "sluice-detect-bench",
            dependencies: ["SluiceDetect"],
            path: "bench/detect"
        ),

        // Tests.
        .target(
            name: "SluiceTestSupport",
            path: "Tests/SluiceTestSupport"
        ),
        .testTarget(
            name: "SluiceMIMETests",
            dependencies: ["SluiceMIME"],
            exclude: ["python_email_dump.py", "python_email_generate.py"]
        ),
        .testTarget(
            name: "SluiceExtractTests",
            dependencies: ["SluiceExtract"]
        ),
        .testTarget(
            name: "SluiceDetectTests",
            dependencies: ["SluiceDetect"]
        ),
        .testTarget(
            name: "SluiceScanTests",
            dependencies: ["SluiceScan", "SluicePolicy", "SluiceTestSupport"],
            exclude: ["make_message.py"]
        ),
        .testTarget(
            name: "SluicePolicyTests",
            dependencies: ["SluicePolicy"]
        ),
        .testTarget(
            name: "SluiceStoreTests",
            dependencies: ["SluiceStore", "SluiceTestSupport"]
        ),
        .testTarget(
            name: "SluiceNotifyTests",
            dependencies: ["SluiceNotify", "SluiceTestSupport"]
        ),
        .testTarget(
            name: "SluiceMilterTests",
            dependencies: ["SluiceMilter"]
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["SluiceTestSupport"]
        ),
        .testTarget(
            name: "SluiceEndToEndTests",
            dependencies: ["SluiceTestSupport"],
            exclude: ["Fixtures"]
        ),
    ]
)
