// Builds test files at test time: Python scripts and command-line tools (zip, 7z, tar) write them
// into a private temporary directory, and the bytes come back. No binary fixture is committed.

import Foundation

enum FixtureMaker {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a Python 3 script in a fresh directory and returns the bytes of `output` there.
    static func python(_ script: String, output: String = "out") throws -> [UInt8] {
        try self.inDirectory { directory in
            try Data(script.utf8).write(to: directory.appendingPathComponent("make.py"))
            try self.run("/usr/bin/python3", ["make.py"], in: directory)
            return try self.read(directory, output)
        }
    }

    /// Writes `files` into a fresh directory, runs `commands` there, returns the bytes of `output`.
    static func shell(
        files: [String: [UInt8]], _ commands: String, output: String
    ) throws
        -> [UInt8]
    {
        try self.inDirectory { directory in
            for (name, bytes) in files {
                let url = directory.appendingPathComponent(name)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
            try self.run("/bin/sh", ["-c", commands], in: directory)
            return try self.read(directory, output)
        }
    }

    /// A minimal PE32 executable header that libmagic recognises.
    static func portableExecutable() throws -> [UInt8] {
        try self.python(
            """
            import struct
            b = bytearray(1024)
            b[0:2] = b'MZ'; struct.pack_into('<I', b, 0x3c, 0x80)
            b[0x80:0x84] = b'PE\\0\\0'
            struct.pack_into('<HHIIIHH', b, 0x84, 0x14c, 1, 0, 0, 0, 0xe0, 0x0102)
            struct.pack_into('<H', b, 0x98, 0x10b)
            struct.pack_into('<H', b, 0x98 + 68, 3)
            open('out', 'wb').write(b)
            """)
    }

    private static func inDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-extract-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    private static func read(_ directory: URL, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    private static func run(_ executable: String, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(executable) \(arguments.last ?? ""): status "
                    + "\(process.terminationStatus): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
