import Foundation
import HummingbirdTesting
import StockroomCore

/// Clients selling one product without pause against a real server, recording each sale the server acknowledged
/// (201 with its id) in the order the answers came. Whatever was acknowledged when `acknowledged` is read had its
/// COMMIT on disk by then.
final class SaleStream: @unchecked Sendable {
    struct Sale: Sendable, Hashable {
        let id: Int64
        let quantity: Int64
    }

    private let lock = NSLock()
    private var sales: [Sale] = []
    private var problems: [String] = []
    private var stopped = false

    var acknowledged: [Sale] { lock.withLock { sales } }
    /// Answers that were neither a 201 nor a failed connection.
    var unexpected: [String] { lock.withLock { problems } }

    func stop() { lock.withLock { stopped = true } }

    /// Sells until `stop()`, from `clients` clients at once.
    func run(node: StockroomNode, cookie: String, productID: Int64, clients: Int = 4) async {
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var count = 0
                    while !self.lock.withLock({ self.stopped }) {
                        count += 1
                        let quantity = Int64(1 + (client + count) % 3)
                        let body = #"{"items": [{"item_id": \#(productID), "quantity": \#(quantity)}]}"#
                        guard let response = try? await node.request(.post, "/api/sales/bulk", cookie: cookie, json: body) else { continue }
                        let text = response.body.map { String(buffer: $0) } ?? ""
                        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                        self.lock.withLock {
                            if response.status.code == 201, case .int(let id)? = json?["sale_id"] {
                                self.sales.append(Sale(id: id, quantity: quantity))
                            } else {
                                self.problems.append("\(response.status.code) \(text.prefix(200))")
                            }
                        }
                    }
                }
            }
        }
    }

    /// Waits until `count` sales more than `after` are acknowledged (throws after two minutes).
    func waitFor(_ count: Int, after: Int = 0) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while acknowledged.count < after + count {
            guard ContinuousClock.now < deadline else {
                throw ClusterError("only \(acknowledged.count - after) of \(count) sales acknowledged in 120 s: \(unexpected.prefix(5))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
