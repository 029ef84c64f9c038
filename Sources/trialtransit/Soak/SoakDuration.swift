import ArgumentParser

/// `--duration`: `90s`, `2m`, `20m`, `1h` or plain seconds.
struct SoakDuration: ExpressibleByArgument, Sendable {
    var seconds: Int

    init?(argument: String) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600]
        if let unit = argument.last, let factor = units[unit], let value = Int(argument.dropLast()), value > 0 {
            seconds = value * factor
        } else if let value = Int(argument), value > 0 {
            seconds = value
        } else {
            return nil
        }
    }

    var duration: Duration { .seconds(seconds) }

    var defaultValueDescription: String { "\(seconds)s" }
}
