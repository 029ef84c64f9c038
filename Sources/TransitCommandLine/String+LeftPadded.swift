extension String {
    /// The string padded on the left with `character` up to `width` characters.
    public func leftPadded(to width: Int, with character: Character = "0") -> String {
        count >= width ? self : String(repeating: character, count: width - count) + self
    }
}
