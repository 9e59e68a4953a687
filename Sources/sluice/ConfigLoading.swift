// How subcommands find their configuration: `--config FILE` when given, otherwise the
// default path. A missing default file means the built-in defaults where that is safe
// (`scan`), and an error where it is not (`milter`, `check-config`).

import Foundation
import SluicePolicy

enum ConfigLoading {
    /// Loads `--config` or the default file; `optional` allows falling back to defaults when
    /// no file was named and the default file does not exist.
    static func load(_ path: String?, optional: Bool) throws(ConfigError) -> Configuration {
        if let path {
            return try Configuration.load(path: path)
        }
        if optional && !FileManager.default.fileExists(atPath: Configuration.defaultPath) {
            return Configuration.defaults()
        }
        return try Configuration.load(path: Configuration.defaultPath)
    }
}
