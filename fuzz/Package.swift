// swift-tools-version: 6.0
//
// libFuzzer harnesses for Sluice's parsers. Built only by `make fuzz`
// (`swift build --package-path fuzz --sanitize=fuzzer`): each executable's entry point is
// LLVMFuzzerTestOneInput, and libFuzzer supplies main.

import PackageDescription

let package = Package(
    name: "SluiceFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Sluice", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzMIME", dependencies: [.product(name: "SluiceStages", package: "Sluice")]),
        .executableTarget(
            name: "FuzzConfig", dependencies: [.product(name: "SluiceStages", package: "Sluice")]),
        .executableTarget(
            name: "FuzzExtract", dependencies: [.product(name: "SluiceStages", package: "Sluice")]),
        .executableTarget(
            name: "FuzzHTML", dependencies: [.product(name: "SluiceStages", package: "Sluice")]),
    ]
)
