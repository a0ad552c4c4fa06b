/// At most a few browsers at once in one process. The browser suites run beside each other and beside everything
/// else in `swift test`; eight Chromiums on a two-core machine starved one another until tests that wait for a
/// state on screen (a charge still waiting, a percentage between 0 and 100) missed it. A browser waits its turn as
/// it starts and gives it back when it quits; one test may hold two (a till and an owner's page side by side).
actor BrowserTurns {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ limit: Int) {
        free = limit
    }

    func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
