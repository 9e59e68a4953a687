// How subcommands find their configuration: `--config FILE` when given, otherwise the
// default path. A missing default file means the built-in defaults where that is safe
// (`scan`), and an error where it is not (`milter`, `check-config`).

import Foundation
import SluicePolicy

enum ConfigLoading {
    /// Loads `--config` or the default file; `optional` allows falling back to defaults when
    /// no file was named and the default file does not exist. Built-in defaults read the
    /// dictionaries of a source checkout when `sluice` runs from one.
    static func load(_ path: String?, optional: Bool) throws(ConfigError) -> Configuration {
        var configuration: Configuration
        if let path {
            configuration = try Configuration.load(path: path)
        } else if optional && !FileManager.default.fileExists(atPath: Configuration.defaultPath) {
            configuration = Configuration.defaults()
        } else {
            configuration = try Configuration.load(path: Configuration.defaultPath)
        }
        self.useCheckoutDictionaries(&configuration)
        return configuration
    }

    /// Without an installed dictionary directory, a `sluice` built in a source checkout
    /// reads the checkout's `dictionaries/`.
    static func useCheckoutDictionaries(_ configuration: inout Configuration) {
        guard !configuration.detect.dictionariesExplicit,
            !FileManager.default.fileExists(atPath: configuration.detect.dictionaries),
            let checkout = self.checkoutDictionaries()
        else {
            return
        }
        configuration.detect.dictionaries = checkout
    }

    /// `--dictionaries DIR` overrides `[detect] dictionaries`.
    static func applyDictionaries(_ directory: String?, to configuration: inout Configuration) {
        guard let directory else {
            return
        }
        configuration.detect.dictionaries = directory
        configuration.detect.dictionariesExplicit = true
    }

    /// `dictionaries/` of the source checkout the binary was built in (the binary lives in
    /// `.build/CONFIGURATION/`), or of the current directory.
    static func checkoutDictionaries() -> String? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            binary.deletingLastPathComponent().appendingPathComponent("../../../dictionaries"),
            binary.deletingLastPathComponent().appendingPathComponent("../../dictionaries"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent("dictionaries"),
        ]
        return candidates.map(\.standardized.path).first {
            FileManager.default.fileExists(atPath: $0 + "/confidential.txt")
        }
    }
}
