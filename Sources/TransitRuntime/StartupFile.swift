import Foundation

/// A file a worker reads at start (the trial catalogue, the partner file) that cannot be used: what
/// file, its path and what is wrong, as one line.
public struct StartupFileError: Error, Sendable, CustomStringConvertible {
    /// What the file is, e.g. `catalogue file`.
    public var kind: String
    public var path: String
    public var problem: String

    public var description: String { "\(kind) \(path): \(problem)" }

    /// What `parse` makes of the bytes of the file at `path`; an unreadable file or a parse error
    /// becomes a ``StartupFileError`` naming `kind` and `path`.
    public static func read<Value, Failure: Error>(
        _ kind: String, path: String, parse: (Data) throws(Failure) -> Value
    ) throws(StartupFileError) -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StartupFileError(kind: kind, path: path, problem: "cannot be read")
        }
        do {
            return try parse(data)
        } catch {
            throw StartupFileError(kind: kind, path: path, problem: "\(error)")
        }
    }
}
