import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("The notification writer's queue")
struct NotificationQueueTests {
    @Test("events wait in order; past the limit the oldest are dropped and counted once; an empty take stops the writer")
    func queue() {
        var queue = NotificationTriggers.EventQueue()
        let first = queue.add(.notificationsChanged(userIDs: [0]))
        let second = queue.add(.notificationsChanged(userIDs: [1]))
        #expect(first && !second, "the first event starts a writer; while it works, no second one")
        let limit = NotificationTriggers.EventQueue.limit
        for user in 2..<(limit + 5) { _ = queue.add(.notificationsChanged(userIDs: [Int64(user)])) }
        var taken: [Int64] = []
        var dropped = 0
        while true {
            let (batch, lost) = queue.take(64)
            dropped += lost
            if batch.isEmpty { break }
            for case .notificationsChanged(let users) in batch { taken += users }
        }
        #expect(dropped == 5 && taken.count == limit)
        #expect(taken == Array(5..<Int64(limit + 5)), "the newest kept, in order")
        let again = queue.add(.resync)
        #expect(again, "after an empty take, the next event starts a writer again")
    }
}
