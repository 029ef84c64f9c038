import ArgumentParser

/// `--config FILE`: the configuration file of a long-running process — `run`, `worker …`,
/// `partner-gateway` (see ``LayeredArguments``). A command that includes this group reads the
/// file; the parsing itself happens before ArgumentParser sees the command line, so this group only
/// declares and documents the option.
public struct ConfigFileOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "YAML file of options, keyed by long option name ('http-port: 8080'); TRIALTRANSIT_FOO_BAR variables "
                + "and arguments override it. Default: $TRIALTRANSIT_CONFIG.",
            valueName: "file"))
    public var config: String?

    public init() {}
}
