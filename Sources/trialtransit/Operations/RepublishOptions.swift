import ArgumentParser

/// Where and how fast `replay` and `dlq redrive` publish the records they select again.
struct RepublishOptions: ParsableArguments {
    @Option(help: "Publish to this topic instead of each record's source topic.")
    var toTopic: String?

    @Option(help: ArgumentHelp("Most records per second to publish, e.g. 100/s.", valueName: "N/s"))
    var rate: String?

    @Flag(help: "Print what would be sent; send nothing.")
    var dryRun = false
}
