/// What a ride must carry: the mobility need, companions and the language for the driver.
public struct RideNeeds: Codable, Sendable, Hashable {
    /// Vehicle type needed.
    public var mobility: Mobility
    /// Companions riding along (seats needed = 1 + companions).
    public var companions: UInt32
    /// Patient's language, BCP 47; may be empty.
    public var language: String

    public init(mobility: Mobility, companions: UInt32 = 0, language: String = "") {
        self.mobility = mobility
        self.companions = companions
        self.language = language
    }
}
