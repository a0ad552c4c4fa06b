import ChildProcesses
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real Chromium (headless) driven through chromedriver's W3C WebDriver HTTP API: just the commands the browser
/// tests use. Each `WebDriver` is one chromedriver process and one browser session; `quit()` ends both.
public final class WebDriver: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let driver: RunningProcess
    private let base: String
    private let session: String
    private static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// Starts chromedriver on a free port and a browser `width`×`height` (Chromium from Debian's packages); below
    /// 500 px wide, a phone.
    public static func start(width: Int = 1280, height: Int = 900) async throws -> WebDriver {
        let programs = try BrowserPrograms.find()
        let port = Processes.freeLoopbackPort()
        let log = FileManager.default.temporaryDirectory.appending(path: "chromedriver-\(UUID().uuidString).log").path
        let driver = try RunningProcess(programs.chromedriver, ["--port=\(port)"], environment: [:], logPath: log)
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<100 {
            if (try? await Self.send("GET", base + "/status", nil)) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        var options: [String: Any] = [
            "binary": programs.chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=\(width),\(height)"],
        ]
        // A window cannot be narrower than 500 px: phone widths are emulated (touch, device pixels, the viewport).
        if width < 500 {
            options["mobileEmulation"] = ["deviceMetrics": ["width": width, "height": height, "pixelRatio": 2, "touch": true]]
        }
        do {
            let created = try await Self.send(
                "POST", base + "/session",
                [
                    "capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]
                ])
            guard let session = (created as? [String: Any])?["sessionId"] as? String else { throw Failure(description: "no session in \(created)") }
            return WebDriver(driver: driver, base: base + "/session/" + session, session: session)
        } catch {
            await driver.terminate()
            throw Failure(description: "\(error)\nchromedriver: \(driver.output)")
        }
    }

    /// Runs `body` with a browser started as `start` does, and quits it however `body` ends.
    public static func session<T>(width: Int = 1280, height: Int = 900, _ body: (WebDriver) async throws -> T) async throws -> T {
        let browser = try await start(width: width, height: height)
        do {
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            await browser.quit()
            throw error
        }
    }

    private init(driver: RunningProcess, base: String, session: String) {
        self.driver = driver
        self.base = base
        self.session = session
    }

    public func open(_ url: String) async throws {
        _ = try await Self.send("POST", base + "/url", ["url": url])
    }

    /// The element matching a CSS selector, waiting up to `giveUpAfter` for it to appear.
    public func element(_ selector: String, giveUpAfter: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + giveUpAfter
        while true {
            if let found = try? await Self.send("POST", base + "/element", ["using": "css selector", "value": selector]),
                let id = (found as? [String: Any])?[Self.elementKey] as? String
            {
                return id
            }
            guard ContinuousClock.now < deadline else {
                throw Failure(
                    description:
                        "no element '\(selector)' on \(try await script("return location.href + '\\n' + document.documentElement.outerHTML.slice(0, 2000)"))"
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    public func type(_ selector: String, _ text: String) async throws {
        _ = try await Self.send("POST", base + "/element/\(try await element(selector))/value", ["text": text])
    }

    /// Types `text` into whatever has the focus, as a keyboard (or a barcode scanner, which is one) does: every key
    /// down and up with no pause between them, "\n" as Enter. Unlike `type`, it never moves the focus first.
    public func keys(_ text: String) async throws {
        let strokes = text.map { $0 == "\n" ? "\u{E007}" : String($0) }.flatMap { key in
            [["type": "keyDown", "value": key], ["type": "keyUp", "value": key]]
        }
        _ = try await Self.send("POST", base + "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": strokes]]])
    }

    public func clear(_ selector: String) async throws {
        _ = try await Self.send("POST", base + "/element/\(try await element(selector))/clear", [String: Any]())
    }

    /// Signs in through the sign-in form and waits for the page after it.
    public func signIn(at base: String, _ username: String, _ password: String) async throws {
        try await open(base + "/login")
        try await type("#username", username)
        try await type("#password", password + "\n")
        try await waitUntil("location.pathname !== '/login'")
    }

    public func click(_ selector: String) async throws {
        _ = try await Self.send("POST", base + "/element/\(try await element(selector))/click", [String: Any]())
    }

    public func text(_ selector: String) async throws -> String {
        try await Self.send("GET", base + "/element/\(try await element(selector))/text", nil) as? String ?? ""
    }

    @discardableResult
    public func script(_ source: String) async throws -> Any {
        try await Self.send("POST", base + "/execute/sync", ["script": source, "args": [Any]()])
    }

    /// Waits (up to `giveUpAfter`) until the script returns true; a page that never gets there fails the test.
    public func waitUntil(_ condition: String, giveUpAfter: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + giveUpAfter
        while ContinuousClock.now < deadline {
            if (try? await script("return Boolean(\(condition))")) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "still not true after \(giveUpAfter): \(condition) on \(try await script("return location.href"))")
    }

    /// A PNG of the viewport.
    public func screenshot() async throws -> Data {
        guard let encoded = try await Self.send("GET", base + "/screenshot", nil) as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }

    public func quit() async {
        _ = try? await Self.send("DELETE", base, nil)
        await driver.terminate()
    }

    /// One WebDriver command; its `value`, or the driver's error as a failure. A plain HTTP/1.1 exchange on its own
    /// thread (FoundationNetworking's URLSession failed here with "Failed writing header" on chromedriver's answers).
    private static func send(_ method: String, _ url: String, _ body: Any?) async throws -> Any {
        guard let components = URLComponents(string: url), let port = components.port else { throw Failure(description: "bad url \(url)") }
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let (status, data) = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, Data), any Error>) in
            Thread {
                continuation.resume(with: Result { try exchange(method, port: port, path: components.path, body: payload) })
            }.start()
        }
        let json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let value = (json as? [String: Any])?["value"] ?? NSNull()
        guard status == 200 else { throw Failure(description: "\(method) \(url): \(value)") }
        return value
    }

    private static func exchange(_ method: String, port: Int, path: String, body: Data) throws -> (Int, Data) {
        let fd = try Processes.connectLoopback(port: port)
        defer { close(fd) }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        request += Data("Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        _ = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        // Read the head, then exactly Content-Length bytes: chromedriver may keep the connection open.
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        while expected.map({ response.count < $0 }) ?? true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
            if expected == nil, let split = response.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = split.upperBound + length
            }
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)),
            let statusLine = String(data: response[..<split.lowerBound], encoding: .utf8)?.split(separator: "\r\n").first,
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else { throw Failure(description: "no HTTP answer from chromedriver") }
        return (status, Data(response[split.upperBound...]))
    }
}
