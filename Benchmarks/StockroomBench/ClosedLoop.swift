import NIOHTTP1

/// One request of a scenario: its kind (a row of the table), method, path and JSON body.
struct BenchRequest: Sendable {
    let kind: String
    let method: HTTPMethod
    let path: String
    var body: String? = nil
    /// Sent as `Idempotency-Key`, as a till sends each charge.
    var idempotencyKey: String? = nil
}

/// Tills or browsers working flat out: each worker has its own keep-alive connection and sends its next request
/// the moment the last one is answered, for `duration`. Throughput is what the server can take; latency is each
/// request's round trip.
enum ClosedLoop {
    static func run(
        _ clients: [RequestClient], for duration: Duration, recorder: LatencyRecorder,
        next: @escaping @Sendable (_ worker: Int, _ iteration: Int) -> BenchRequest
    ) async {
        let end = ContinuousClock.now + duration
        await withTaskGroup(of: Void.self) { workers in
            for (worker, client) in clients.enumerated() {
                workers.addTask {
                    var iteration = 0
                    while ContinuousClock.now < end {
                        let request = next(worker, iteration)
                        let sent = ContinuousClock.now
                        let status = try? await client.send(request.method, request.path, json: request.body, idempotencyKey: request.idempotencyKey)
                        recorder.record(request.kind, ContinuousClock.now - sent, status: status)
                        iteration += 1
                    }
                }
            }
        }
    }

    /// `run` preceded by `warmUp` of the same traffic that is not recorded (connections opened, statements prepared,
    /// pages cached), then the measured phase with the server's CPU and peak memory.
    /// The warm-up's answers go to `warmUpRecorder` when one is given (a scenario that counts every sale).
    static func measure(
        _ clients: [RequestClient], server: ServerProcess, warmUp: Duration = .seconds(2), for duration: Duration,
        refusal: @escaping @Sendable (HTTPResponseStatus) -> Bool = { _ in false }, warmUpRecorder: LatencyRecorder? = nil,
        next: @escaping @Sendable (_ worker: Int, _ iteration: Int) -> BenchRequest
    ) async -> (LatencyRecorder, ServerUsage.Phase) {
        await run(clients, for: warmUp, recorder: warmUpRecorder ?? LatencyRecorder(refusal: refusal), next: next)
        let recorder = LatencyRecorder(refusal: refusal)
        let usage = ServerUsage(server)
        await run(clients, for: duration, recorder: recorder, next: next)
        return (recorder, usage.end())
    }
}
