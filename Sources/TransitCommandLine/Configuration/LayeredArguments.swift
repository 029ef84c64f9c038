import ArgumentParser

/// A command line completed from the environment and a configuration file, before ArgumentParser
/// parses it. For every long option `--foo-bar` of the command being run, in order of precedence:
/// the command line, then `TRIALTRANSIT_FOO_BAR`, then the key `foo-bar` of the file named by
/// `--config FILE` or `TRIALTRANSIT_CONFIG` (only for commands that take `--config`), then the
/// option's default. Values from the environment and the file become ordinary arguments, so
/// ArgumentParser checks them as it checks typed ones, and an option added to a command later gets
/// its variable and key without further code.
public struct LayeredArguments: Sendable {
    /// Where an option's value came from.
    public enum Source: String, Sendable {
        case argument, environment, file, `default`
    }

    /// One option's effective value.
    public struct Setting: Sendable {
        public var name: String
        /// nil for an option left unset (no default).
        public var value: String?
        public var source: Source
        /// The variable or file key the value came from, for error messages.
        public var origin: String?
    }

    /// The command line to parse: the given arguments plus those taken from the environment and file.
    public let arguments: [String]
    /// Every option of the command being run with its effective value and source.
    public let settings: [Setting]
    /// The configuration file read, if any.
    public let configFile: String?

    /// Completes `arguments` (without the program name) for the command of `root` they select.
    public static func resolve(
        root: any ParsableCommand.Type, arguments: [String], environment: [String: String]
    ) throws(ConfigurationError) -> LayeredArguments {
        let command = selectedCommand(root: root, arguments: arguments)
        let options = CommandOptions(of: command)
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let typed = Array(arguments[..<end])
        if typed.contains("--help") || typed.contains("-h") {
            return LayeredArguments(arguments: arguments, settings: [], configFile: nil)
        }

        var file: ConfigFile?
        if options["config"] != nil {
            if let path = givenValues(of: options["config"]!, in: typed).last {
                file = try ConfigFile(path: path, option: "--config")
            } else if let path = environment["TRIALTRANSIT_CONFIG"], !path.isEmpty {
                file = try ConfigFile(path: path, option: "TRIALTRANSIT_CONFIG")
            }
        }
        if let file { try checkKeys(of: file, root: root) }

        var added: [String] = []
        var settings: [Setting] = []
        for option in options.options {
            let given = givenValues(of: option, in: typed)
            if !given.isEmpty || typed.contains(where: { option.spellings.contains($0) }) {
                settings.append(Setting(name: option.name, value: option.isFlag ? "true" : given.joined(separator: ","), source: .argument))
            } else if option.name != "config", let raw = environment[option.environmentVariable], !raw.isEmpty {
                let value = try append(option, values: [raw], to: &added, from: option.environmentVariable)
                settings.append(Setting(name: option.name, value: value, source: .environment, origin: option.environmentVariable))
            } else if option.name != "config", let values = file?[option.name], let file {
                let origin = "--config \(file.path), key '\(option.name)'"
                let value = try append(option, values: values, to: &added, from: origin)
                settings.append(Setting(name: option.name, value: value, source: .file, origin: origin))
            } else if option.name == "config", let file {
                settings.append(Setting(name: "config", value: file.path, source: .environment))
            } else {
                settings.append(Setting(name: option.name, value: option.isFlag ? "false" : option.defaultValue, source: .default))
            }
        }
        var completed = arguments
        completed.insert(contentsOf: added, at: end)
        return LayeredArguments(arguments: completed, settings: settings, configFile: file?.path)
    }

    /// The effective value of option `name`, if the command has it and it is set.
    public func value(of name: String) -> String? {
        settings.first { $0.name == name }?.value
    }

    /// `message` (an error about some option) with where that option's value came from, when it
    /// came from the environment or the file; nil when it names no such option.
    public func explained(_ message: String) -> String? {
        for setting in settings {
            guard let origin = setting.origin, let range = message.range(of: "--" + setting.name) else { continue }
            if let next = message[range.upperBound...].first, next.isLetter || next.isNumber || next == "-" { continue }
            return "\(message) (from \(origin))"
        }
        return nil
    }

    /// `name: value (source)` for each option, secrets masked and credentials in URLs removed:
    /// what a process logs at start.
    public var redactedSettings: [(name: String, text: String)] {
        settings.map { setting in
            let value = setting.value.map { SecretRedaction.redact($0, option: setting.name) } ?? "unset"
            return (setting.name, "\(value) (\(setting.source.rawValue))")
        }
    }

    // MARK: - Parts

    /// The command (or subcommand) that the leading words of `arguments` name.
    static func selectedCommand(root: any ParsableCommand.Type, arguments: [String]) -> any ParsableCommand.Type {
        var command = root
        for word in arguments {
            guard !word.hasPrefix("-"),
                let next = command.configuration.subcommands.first(where: {
                    $0.configuration.commandName == word || $0.configuration.aliases.contains(word)
                })
            else { break }
            command = next
        }
        return command
    }

    /// The values typed for `option` (`--name VALUE` or `--name=VALUE`).
    private static func givenValues(of option: CommandOptions.Option, in typed: [String]) -> [String] {
        var values: [String] = []
        for (index, word) in typed.enumerated() {
            for spelling in option.spellings {
                if word.hasPrefix(spelling + "=") {
                    values.append(String(word.dropFirst(spelling.count + 1)))
                } else if word == spelling, !option.isFlag, index + 1 < typed.count {
                    values.append(typed[index + 1])
                }
            }
        }
        return values
    }

    /// Appends `--name value` (or the flag) for `values`; returns the value as logged.
    private static func append(
        _ option: CommandOptions.Option, values: [String], to added: inout [String], from origin: String
    ) throws(ConfigurationError) -> String {
        let spelling = "--" + option.name
        if option.isFlag {
            switch values.joined().lowercased() {
            case "true", "yes", "1", "on":
                added.append(spelling)
                return "true"
            case "false", "no", "0", "off": return "false"
            default: throw ConfigurationError("\(origin): \(spelling) is a flag: true or false, not '\(values.joined())'")
            }
        }
        if option.isRepeating {
            for value in values { added.append(spelling + "=" + value) }
            return values.joined(separator: ",")
        }
        let value = values.joined(separator: ",")
        // `--name=value`: a value starting with '-' is still a value.
        added.append(spelling + "=" + value)
        return value
    }

    /// Every key of `file` must be an option of a command that reads configuration files.
    private static func checkKeys(of file: ConfigFile, root: any ParsableCommand.Type) throws(ConfigurationError) {
        var known: Set<String> = []
        func collect(_ command: any ParsableCommand.Type) {
            let options = CommandOptions(of: command)
            if options["config"] != nil { known.formUnion(options.options.map(\.name)) }
            command.configuration.subcommands.forEach(collect)
        }
        collect(root)
        known.remove("config")
        for (key, _) in file.entries where !known.contains(key) {
            let hint = key == "config" ? "a configuration file cannot name another" : "no command takes --\(key)"
            throw ConfigurationError("--config \(file.path): unknown key '\(key)' (\(hint))")
        }
    }
}
