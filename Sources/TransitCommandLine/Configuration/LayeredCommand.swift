import ArgumentParser

extension AsyncParsableCommand {
    /// This process's command line completed by ``LayeredArguments`` (every `--foo-bar` from
    /// `TRIALTRANSIT_FOO_BAR`, then the `--config` file); on a bad one, exits as ArgumentParser does.
    public static func layeredArguments(environment: [String: String]) -> LayeredArguments {
        do {
            return try LayeredArguments.resolve(
                root: self, arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
        } catch {
            exit(withError: error)
        }
    }

    /// The command `layered` selects, parsed; on a bad value, exits as ArgumentParser does, naming
    /// the variable or file key the value came from.
    public static func parseLayered(_ layered: LayeredArguments) async -> any ParsableCommand {
        do {
            return try await asyncParseAsRoot(layered.arguments)
        } catch {
            if exitCode(for: error) != .success, let explained = layered.explained(message(for: error)) {
                exit(withError: ConfigurationError(explained))
            }
            exit(withError: error)
        }
    }

    /// Runs a parsed command; exits on its error as ArgumentParser's `main` does.
    public static func runParsed(_ command: any ParsableCommand) async {
        var command = command
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
