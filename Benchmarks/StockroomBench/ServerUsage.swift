import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The server process's CPU time and peak memory over one phase of a scenario, from /proc: CPU as the share of one
/// core it used (200 % = both cores of this machine busy), peak as the highest resident memory in the phase. With
/// the bench's own PostgreSQL cluster, the CPU of the cluster's processes too (a backend that ends within the phase
/// takes its time with it; the server's pool keeps its connections).
struct ServerUsage {
    let pid: pid_t
    let postmaster: pid_t?
    private let start: ContinuousClock.Instant
    private let cpuAtStart: Double
    private let databaseCPUAtStart: Double?

    /// Starts a phase: the kernel's peak-memory mark (`VmHWM`) is reset so that the peak read at the end is this
    /// phase's, not the seeding's or an earlier phase's.
    init(_ server: ServerProcess) {
        pid = server.pid
        postmaster = server.postmaster
        try? "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)
        start = .now
        cpuAtStart = Self.cpuSeconds(pid) ?? 0
        databaseCPUAtStart = postmaster.map(Self.clusterCPUSeconds)
    }

    struct Phase {
        let seconds: Double
        let cpuPercent: Double
        let peakKiB: Int
        /// The PostgreSQL cluster's CPU, as a share of one core; nil for SQLite (inside the server) or a foreign cluster.
        let databaseCPUPercent: Double?
    }

    func end() -> Phase {
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        func percent(_ cpu: Double) -> Double { seconds > 0 ? 100 * cpu / seconds : 0 }
        let cpu = (Self.cpuSeconds(pid) ?? cpuAtStart) - cpuAtStart
        var databaseCPU: Double?
        if let postmaster, let databaseCPUAtStart { databaseCPU = Self.clusterCPUSeconds(postmaster) - databaseCPUAtStart }
        return Phase(
            seconds: seconds, cpuPercent: percent(cpu), peakKiB: Self.statusField(pid, "VmHWM") ?? 0,
            databaseCPUPercent: databaseCPU.map(percent))
    }

    /// CPU seconds of the postmaster and every process it started (backends, WAL writer, checkpointer).
    static func clusterCPUSeconds(_ postmaster: pid_t) -> Double {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap { pid_t($0) }.filter { $0 == postmaster || parent(of: $0) == postmaster }
            .compactMap { cpuSeconds($0) }.reduce(0, +)
    }

    /// Field 4 of /proc/<pid>/stat.
    static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// User plus system CPU seconds the process has used (fields 14 and 15 of /proc/<pid>/stat, in clock ticks).
    static func cpuSeconds(_ pid: pid_t) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (name)": field 3 (state) is index 0, so utime (14) and stime (15) are indices 11 and 12.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `kB` line of /proc/<pid>/status (`VmRSS`, `VmHWM`).
    static func statusField(_ pid: pid_t, _ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
}
