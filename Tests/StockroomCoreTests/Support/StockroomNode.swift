import ChildProcesses
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StockroomCore
import Testing

/// A real `stockroom serve` process: the executable SwiftPM builds next to this test bundle, started with a
/// database URL on a free loopback port, in a temporary directory of its own (its `.env`-free working directory and
/// the home of its log).
struct StockroomNode: Sendable {
    let process: RunningProcess
    let port: Int
    let directory: URL

    /// `swift build --build-tests` and `swift test` build every product, so `stockroom` sits beside the test bundle.
    static var executable: String {
        get throws {
            let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let path = URL(filePath: bundle).deletingLastPathComponent().appending(path: "stockroom").path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw ClusterError("no stockroom executable at \(path); build it with `swift build --build-tests`")
            }
            return path
        }
    }

    /// Runs `body` with `count` servers sharing `environment` (at least the database URL), each ready to serve.
    /// However `body` ends, every server gets SIGTERM and is reaped; their output is printed when anything threw,
    /// and returned with their exit statuses (0 for a graceful shutdown) when nothing did.
    static func withNodes<T: Sendable>(
        _ count: Int, environment: [String: String], _ body: ([StockroomNode]) async throws -> T
    ) async throws -> (result: T, exitStatuses: [Int32], logs: String) {
        var nodes: [StockroomNode] = []
        do {
            // Started together: migrations and the first-start bootstrap must cope with a second node doing the same.
            for index in 0..<count { nodes.append(try start(name: "node\(index)", environment: environment)) }
            for index in nodes.indices {
                // The port was free when chosen but another process may have taken it since: a server that exits
                // complaining about its address is started again on a new port.
                for attempt in 1...3 {
                    if try await nodes[index].waitUntilReady() { break }
                    guard attempt < 3, nodes[index].process.output.contains("ddress already in use") else {
                        let node = nodes[index]
                        throw ClusterError("stockroom on port \(node.port) exited with \(node.process.exitStatus ?? -1) before it was ready")
                    }
                    nodes[index] = try start(name: "node\(index)", environment: environment)
                }
            }
            let result = try await body(nodes)
            var statuses: [Int32] = []
            for node in nodes { statuses.append(await node.process.terminate()) }
            let logs = nodes.logs
            for node in nodes { try? FileManager.default.removeItem(at: node.directory) }
            return (result, statuses, logs)
        } catch {
            for node in nodes { await node.process.terminate() }
            print(nodes.logs)
            throw error
        }
    }

    /// `executable`: another `stockroom` than the build's own (an installed copy).
    static func start(name: String, environment: [String: String], executable other: String? = nil) throws -> StockroomNode {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = Processes.freeLoopbackPort()
        var environment = environment
        // Loopback unless the test asks for another address (it still connects through loopback).
        environment["STOCKROOM_HOST"] = environment["STOCKROOM_HOST"] ?? "127.0.0.1"
        environment["STOCKROOM_PORT"] = String(port)
        let process = try RunningProcess(
            try other ?? executable, ["serve"], environment: environment, directory: directory.path,
            logPath: directory.appending(path: "output.log").path)
        return StockroomNode(process: process, port: port, directory: directory)
    }

    /// True once the server answers ready; false when it exited first. Gives up (throws) after `giveUpAfter`.
    private func waitUntilReady(giveUpAfter: Duration = .seconds(120)) async throws -> Bool {
        let deadline = ContinuousClock.now + giveUpAfter
        while ContinuousClock.now < deadline {
            if process.exitStatus != nil { return false }
            if let response = try? await request(.get, "/api/health/ready"), response.status == .ok { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterError("stockroom on port \(port) was not ready after \(giveUpAfter)")
    }

    /// One request on a new connection.
    func request(
        _ method: HTTPRequest.Method, _ path: String, cookie: String? = nil, json: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestClient.Response {
        var headers = extra
        if json != nil { headers[.contentType] = "application/json" }
        if let cookie { headers[.cookie] = "\(Authenticator.cookieName)=\(cookie)" }
        let request = TestClient.Request(
            path, method: method, authority: "127.0.0.1:\(port)", headers: headers, body: json.map { ByteBuffer(string: $0) })
        return try await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.execute(request) }
    }

    /// Signs in through `POST /api/login` and returns the session cookie's value.
    func signIn(_ username: String, _ password: String) async throws -> String {
        let response = try await request(.post, "/api/login", json: #"{"username": "\#(username)", "password": "\#(password)"}"#)
        guard response.status == .ok, let setCookie = response.headers[.setCookie],
            let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last
        else {
            throw ClusterError("sign-in as \(username) on port \(port): \(response.status) \(response.body.map { String(buffer: $0) } ?? "")")
        }
        return String(value)
    }
}

extension [StockroomNode] {
    /// Every server's output, for a failure message.
    var logs: String {
        map { "── stockroom on port \($0.port) (\($0.process.logPath)) ──\n\($0.process.output)" }.joined(separator: "\n")
    }
}

// One server at a time, and crashes: a node started here is stopped by its caller (`kill()` or `process.terminate()`),
// and a node killed can be followed by another on the same database.
extension StockroomNode {
    /// Starts one server on `environment` and waits until it is ready (again on a new port when the chosen one was
    /// taken meanwhile). Nothing stops it for the caller, unlike `withNodes`.
    static func startReady(name: String, environment: [String: String], executable: String? = nil) async throws -> StockroomNode {
        var node = try start(name: name, environment: environment, executable: executable)
        for attempt in 1...3 {
            let ready: Bool
            do {
                ready = try await node.waitUntilReady()
            } catch {
                await node.process.terminate()
                throw ClusterError("\(error)\n\([node].logs)")
            }
            if ready { return node }
            guard attempt < 3, node.process.output.contains("ddress already in use") else { break }
            node = try start(name: name, environment: environment, executable: executable)
        }
        throw ClusterError("stockroom on port \(node.port) exited with \(node.process.exitStatus ?? -1) before it was ready\n\([node].logs)")
    }

    /// A crash: SIGKILL, so no graceful shutdown of any kind. Returns once the process is reaped, with its exit
    /// status (128 + 9 when the signal killed it).
    @discardableResult
    func kill() async -> Int32 {
        // Only a child not yet reaped is signalled: afterwards its pid may belong to another process.
        if process.exitStatus == nil { _ = Glibc.kill(process.pid, SIGKILL) }
        while process.exitStatus == nil { try? await Task.sleep(for: .milliseconds(10)) }
        return process.exitStatus!
    }
}
