import ArgumentParser
import TransportBooking

/// `--longest-travel-day-minutes` of the commands that run the transport worker: the ride-planning
/// policy an operator may set (docs/TRANSPORT.md, "Overnight stay").
struct TravelDayOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Longest travel day a patient is asked to make, in minutes, from the outbound pickup to the return's arrival home; "
                + "a longer one gets its return leg flagged for a coordinator (overnight stay). 0 = no limit.",
            valueName: "minutes"))
    var longestTravelDayMinutes = BookingConfig.standard.longestTravelDayMinutes

    func validate() throws {
        guard longestTravelDayMinutes >= 0 else {
            throw ValidationError("--longest-travel-day-minutes must be 0 (no limit) or more")
        }
    }

    /// The documented planning policy with this process's travel-day limit.
    var bookingConfig: BookingConfig {
        var config = BookingConfig.standard
        config.longestTravelDayMinutes = longestTravelDayMinutes
        return config
    }
}
