// Creates a private instance's queue directories the way Postfix's own postfix-files list
// says (owner, group, mode), then marks the queue "quick-start". `postfix start` then skips
// its integrity checks, which take about two seconds on a fresh queue, for every test.

import Foundation
import Glibc

enum PostfixQueueLayout {
    static let postfixFiles = "/etc/postfix/postfix-files"

    /// Builds the queue under `queueDirectory`. Returns false (having changed nothing that
    /// matters) when postfix-files or the Postfix users are missing; `postfix start` then
    /// creates the directories itself, slowly.
    static func create(queueDirectory: String) throws -> Bool {
        guard geteuid() == 0,
            let text = try? String(contentsOfFile: self.postfixFiles, encoding: .utf8),
            let owner = getpwnam("postfix")?.pointee.pw_uid,
            let dropGroup = getgrnam("postdrop")?.pointee.gr_gid
        else {
            return false
        }
        let prefix = "$queue_directory/"
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            // $queue_directory/name:d:owner:group:mode:flags
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 5, fields[1] == "d", let mode = mode_t(fields[4], radix: 8)
            else {
                continue
            }
            let path = queueDirectory + "/" + fields[0].dropFirst(prefix.count)
            guard mkdir(path, mode) == 0 || errno == EEXIST else {
                throw HarnessError.system("mkdir", subject: path)
            }
            let user = fields[2] == "$mail_owner" ? owner : 0
            let group = fields[3] == "$setgid_group" ? dropGroup : 0
            guard chown(path, user, group) == 0, chmod(path, mode) == 0 else {
                throw HarnessError.system("chown", subject: path)
            }
        }
        let marker = queueDirectory + "/quick-start"
        guard FileManager.default.createFile(atPath: marker, contents: Data()) else {
            throw HarnessError.system("create", subject: marker)
        }
        return true
    }
}
