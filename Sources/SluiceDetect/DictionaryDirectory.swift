// The directory of dictionary files (`/etc/sluice/dictionaries` on a host): every `NAME.txt`
// in it is one dictionary. Hidden files (the audit log, temporary files) are not dictionaries.

import Foundation

/// Lists and loads the dictionaries of one directory.
public struct DictionaryDirectory: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Dictionary names, sorted.
    public func names() throws(DetectError) -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: self.path)
        } catch {
            throw .io(path: self.path, operation: "list", errno: TermList.errno(of: error))
        }
        return entries.filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(4)) }
            .filter(Self.isValidName)
            .sorted()
    }

    /// The file of dictionary `name`.
    public func file(_ name: String) -> String {
        "\(self.path)/\(name).txt"
    }

    /// Every dictionary, in name order.
    public func load() throws(DetectError) -> [TermList] {
        var lists: [TermList] = []
        for name in try self.names() {
            lists.append(try TermList(contentsOf: self.file(name)))
        }
        return lists
    }

    /// A value that changes whenever a dictionary is added, removed or rewritten: names,
    /// sizes and modification times. A daemon polls it to know when to build a new engine.
    public func modificationStamp() throws(DetectError) -> String {
        var stamp = ""
        for name in try self.names() {
            let path = self.file(name)
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw .io(path: path, operation: "stat", errno: errno)
            }
            stamp += "\(name):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec);"
        }
        return stamp
    }

    /// Names are lowercase letters, digits, `-` and `_`, starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64,
            CharacterClass.isASCIIAlphanumeric(first)
        else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
                || byte == 0x5F
        }
    }
}
