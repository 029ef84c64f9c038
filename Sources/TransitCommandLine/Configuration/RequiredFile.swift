import Foundation

/// Checks, while a command's options are validated, that the file option `option` names can be
/// read: a one-line error naming the option and the file instead of a Foundation error later.
/// A relative path is resolved from the working directory, which the message names.
public func requireReadableFile(_ path: String, option: String) throws(ConfigurationError) {
    guard !FileManager.default.isReadableFile(atPath: path) || isDirectory(path) else { return }
    let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
    let place = path.hasPrefix("/") ? "" : " in \(FileManager.default.currentDirectoryPath)"
    throw ConfigurationError("\(option) \(path): \(reason)\(place)")
}

private func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}
