extension TimeWindow {
    /// A requested pickup window: set (a start after the epoch) and ordered.
    public var isValidPickupWindow: Bool { startAt > 0 && isValid }
}
