// A small command-line parser for `sluice` subcommands: options with values
// (`--config FILE` or `--config=FILE`), flags, and positional arguments. Anything it does
// not know is a usage error, reported as `Error: …` with the usage, exit 64.

/// A command-line mistake; the message is shown after `Error: `.
struct UsageError: Error {
    var message: String
}

/// Parsed arguments of one subcommand.
struct CommandArguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Parses `arguments` given the options that take a value and the flags allowed.
    init(_ arguments: [String], options: Set<String>, flags: Set<String>) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                self.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }

            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if options.contains(name) {
                if let inlineValue {
                    self.values[name, default: []].append(inlineValue)
                } else if index < arguments.count {
                    self.values[name, default: []].append(arguments[index])
                    index += 1
                } else {
                    throw UsageError(message: "option \(name) needs a value")
                }
            } else if flags.contains(name) && inlineValue == nil {
                self.flags.insert(name)
            } else {
                throw UsageError(message: "unknown option '\(argument)'")
            }
        }
    }

    /// The last value given for `option`.
    func value(_ option: String) -> String? {
        self.values[option]?.last
    }

    func has(_ flag: String) -> Bool {
        self.flags.contains(flag)
    }
}
