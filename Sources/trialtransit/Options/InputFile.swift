import Foundation

/// A file an option names (catalogue, partners) that cannot be read: one line naming the file, as
/// given and as resolved, and the option, instead of Foundation's error.
struct InputFileMissing: Error, CustomStringConvertible {
    var path: String
    var option: String

    var description: String {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        let shown = resolved == path ? path : "\(path) (\(resolved))"
        let reason = FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file"
        return "cannot read \(shown) given by \(option): \(reason); pass \(option) FILE"
            + " (the image installs the samples in /etc/trialtransit/)"
    }

    /// Throws when the file at `path`, named by `option`, is not a readable file.
    static func check(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            FileManager.default.isReadableFile(atPath: path)
        else { throw InputFileMissing(path: path, option: option) }
    }
}
