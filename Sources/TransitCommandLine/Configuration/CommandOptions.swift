import ArgumentParser
import TransitWire

/// The long options one command accepts, read from ArgumentParser's own description of the command
/// (`_dumpHelp()`), so an option added to a command is known here without extra code.
public struct CommandOptions: Sendable {
    /// One `--name` option or flag.
    public struct Option: Sendable, Equatable {
        /// The long name without dashes, e.g. `http-port`: also the config file key.
        public var name: String
        /// A flag takes no value (`--local-broker`); an option takes one.
        public var isFlag: Bool
        /// May be given more than once.
        public var isRepeating: Bool
        /// The default ArgumentParser shows, if any.
        public var defaultValue: String?
        /// Every spelling that sets it on a command line (`--name`, `-n`).
        public var spellings: [String]

        /// The environment variable that sets it: `--foo-bar` is `TRIALTRANSIT_FOO_BAR`.
        public var environmentVariable: String { environmentName(of: name) }
    }

    /// In declaration order; `--help` and `--version` left out.
    public let options: [Option]

    /// The options of `command`.
    public init(of command: any ParsableArguments.Type) {
        var options: [Option] = []
        let arguments = JSONValue.parse(command._dumpHelp())?["command"]?["arguments"]
        if case .array(let items) = arguments {
            for item in items {
                guard let kind = item["kind"]?.comparableText, kind != "positional",
                    case .array(let names)? = item["names"]
                else { continue }
                var long: String?
                var spellings: [String] = []
                for name in names {
                    guard let text = name["name"]?.comparableText, let nameKind = name["kind"]?.comparableText else { continue }
                    switch nameKind {
                    case "long":
                        long = long ?? text
                        spellings.append("--" + text)
                    case "short": spellings.append("-" + text)
                    default: spellings.append("-" + text)
                    }
                }
                guard let long, long != "help", long != "version" else { continue }
                options.append(
                    Option(
                        name: long, isFlag: kind == "flag", isRepeating: item["isRepeating"]?.comparableText == "true",
                        defaultValue: item["defaultValue"]?.comparableText, spellings: spellings))
            }
        }
        self.options = options
    }

    /// The option named `name` (long name without dashes).
    public subscript(name: String) -> Option? { options.first { $0.name == name } }
}
