import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The few file operations a backup and a restore need to survive a power cut: a file flushed before it is named,
/// a name given without replacing what is there, and the directory flushed after a rename so the new name stays.
enum DurableFiles {
    /// Flushes the file's (or directory's) contents to the disk.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    /// Gives `temporary` the name `destination`: over an existing file only when `replacing`, otherwise failing with
    /// `exists` (a hard link fails when the name is taken, atomically, where checking first would race).
    static func publish(_ temporary: String, as destination: String, replacing: Bool) throws {
        if replacing {
            guard rename(temporary, destination) == 0 else { throw failure("rename", destination) }
        } else if link(temporary, destination) == 0 {
            unlink(temporary)
        } else {
            if errno == EEXIST { throw BackupError.exists(path: destination) }
            // A file system without hard links (a FAT-formatted USB stick): check, then rename.
            if FileManager.default.fileExists(atPath: destination) { throw BackupError.exists(path: destination) }
            guard rename(temporary, destination) == 0 else { throw failure("rename", destination) }
        }
        try sync(directory(of: destination))
    }

    static func directory(of path: String) -> String {
        URL(filePath: path).deletingLastPathComponent().path
    }

    /// A name beside `path` for a file being written, hidden, which nothing else will pick.
    static func temporaryName(beside path: String, purpose: String) -> String {
        let url = URL(filePath: path)
        return url.deletingLastPathComponent().appending(path: ".\(url.lastPathComponent).\(purpose)-\(UUID().uuidString.prefix(8))").path
    }

    /// Removes the hidden files `temporaryName` made for `purpose` in `directory` (with their -wal, -journal or -shm)
    /// whose names start with `.` + `named` and which nobody has written for over an hour: what a process killed
    /// mid-copy left. A younger one may belong to a copy being written now.
    static func removeAbandoned(in directory: String, named: String = "", purpose: String, olderThan age: TimeInterval = 3600, now: Date = .now) {
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: directory)) ?? [] where isTemporary(name, named: named, purpose: purpose) {
            let path = URL(filePath: directory).appending(path: name).path
            if let modified = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date, now.timeIntervalSince(modified) > age {
                try? files.removeItem(atPath: path)
            }
        }
    }

    /// `.NAME.purpose-1A2B3C4D`, optionally with `-wal`, `-journal` or `-shm`: only names `temporaryName` gives.
    static func isTemporary(_ name: String, named: String, purpose: String) -> Bool {
        guard name.hasPrefix("." + named), let marker = name.range(of: ".\(purpose)-", options: .backwards) else { return false }
        var rest = name[marker.upperBound...]
        for suffix in ["-wal", "-journal", "-shm"] where rest.hasSuffix(suffix) { rest = rest.dropLast(suffix.count) }
        return rest.count == 8 && rest.allSatisfy(\.isHexDigit)
    }

    static func failure(_ operation: String, _ path: String) -> BackupError {
        .fileSystem("\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
