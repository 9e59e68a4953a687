// Encryption at rest: a message held with a key is unreadable on disk and reads back exactly
// with the key; a wrong key, a swapped file or a key file others can read are refused.

import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceStore

@Suite struct QuarantineEncryptionTests {
    static let key = Data((0..<32).map { UInt8($0 * 7 & 0xFF) })

    @Test func encryptedMessageRoundTripsAndIsNotPlainOnDisk() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path, key: Self.key)
        try QuarantineFixtures.hold(store, 1)
        let id = QuarantineFixtures.id(1)

        #expect(try store.record(id: id)?.encrypted == true)
        #expect(try store.message(id: id) == QuarantineFixtures.message(1))
        let onDisk = try #require(
            FileManager.default.contents(
                atPath: try store.messagePath(id, creatingDirectory: false)))
        #expect(onDisk.starts(with: Array("SLQ1".utf8)))
        for secret in ["4111 1111", "bob@partner.example", "Q1 figures"] {
            #expect(onDisk.range(of: Data(secret.utf8)) == nil, "'\(secret)' readable on disk")
        }
    }

    @Test func wrongKeyMissingKeyAndSwappedFilesAreRefused() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path, key: Self.key)
        try QuarantineFixtures.hold(store, 1)
        try QuarantineFixtures.hold(store, 2)
        let first = QuarantineFixtures.id(1)

        var otherKey = Self.key
        otherKey[0] ^= 1
        let wrong = try QuarantineStore(directory: scratch.path, key: otherKey)
        let wrongError = try #require(throws: StoreError.self) { try wrong.message(id: first) }
        #expect(wrongError.description.contains("altered file or wrong key"), "got \(wrongError)")

        let keyless = try QuarantineStore(directory: scratch.path)
        let keylessError = try #require(throws: StoreError.self) { try keyless.message(id: first) }
        #expect(keylessError.description.contains("key file is needed"), "got \(keylessError)")

        // The id is authenticated: message 2's file under message 1's name does not open.
        let firstPath = try store.messagePath(first, creatingDirectory: false)
        let secondPath = try store.messagePath(QuarantineFixtures.id(2), creatingDirectory: false)
        try FileManager.default.removeItem(atPath: firstPath)
        try FileManager.default.copyItem(atPath: secondPath, toPath: firstPath)
        #expect(throws: StoreError.self) { try store.message(id: first) }
    }

    @Test(arguments: [
        (0o600, true), (0o640, true), (0o644, false), (0o604, false), (0o660, true),
    ])
    func keyFilesReadableByOthersAreRefused(mode: Int, accepted: Bool) throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let path = scratch.appending("quarantine.key")
        _ = FileManager.default.createFile(atPath: path, contents: Self.key)
        chmod(path, mode_t(mode))
        if accepted {
            #expect(try QuarantineStore.loadKey(path: path) == Self.key)
        } else {
            let error = try #require(throws: StoreError.self) {
                try QuarantineStore.loadKey(path: path)
            }
            #expect(error.description.contains("accessible to other users"), "got \(error)")
        }
    }

    @Test(arguments: [
        ("hex with newline", true), ("raw", true), ("short", false), ("bad hex", false),
    ])
    func keyFileFormats(kind: String, accepted: Bool) throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let path = scratch.appending("quarantine.key")
        let hex = Self.key.map { String(format: "%02x", $0) }.joined()
        let contents: Data
        switch kind {
        case "hex with newline": contents = Data((hex + "\n").utf8)
        case "raw": contents = Self.key
        case "short": contents = Self.key.prefix(16)
        default: contents = Data(("zz" + hex.dropFirst(2)).utf8)
        }
        _ = FileManager.default.createFile(atPath: path, contents: contents)
        chmod(path, 0o600)
        let loaded = try? QuarantineStore.loadKey(path: path)
        #expect((loaded == Self.key) == accepted, "\(kind): got \(String(describing: loaded))")
    }
}
