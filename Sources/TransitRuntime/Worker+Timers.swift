import Logging
import TransitRPC
import TransitStore

extension Worker {
    /// Fires due timers owned by this worker, each once: handler, timer deletion and outbox in one
    /// transaction. Returns how many fired or were dead-lettered (rows were added to the outbox);
    /// publishing them is left to the caller.
    ///
    /// All due timers go in one transaction; when it fails for a reason other than a transient
    /// store error, each timer fires in a transaction of its own, so one failing timer does not
    /// hold up the others. A timer that still fails after ``WorkerOptions/maxAttempts`` ticks is
    /// dead-lettered (`TIMER_FAILED`) and removed.
    @discardableResult
    func fireDueTimers() async throws -> Int {
        let now = options.clock.nowMilliseconds()
        var (fired, deadLettered) = (0, 0)
        do {
            fired = try await fireAll(now: now)
        } catch where !Retry.isTransient(error) && !(error is CancellationError) {
            logger.warning("due timers failed together; firing them one by one", metadata: ["error": "\(error)"])
            (fired, deadLettered) = try await fireOneByOne(now: now)
        }
        metrics.timersDue(fired)
        if fired > 0 {
            var delta = WorkerStats()
            delta.timersFired = fired
            record(delta)
        }
        return fired + deadLettered
    }

    private func fireAll(now: Int64) async throws -> Int {
        let (handler, topics) = (self.handler, self.topics)
        let fired = try await Retry.transient("fire timers", backoff: options.backoff, logger: logger, health: progress.store) {
            try await self.store.transaction { transaction -> [String] in
                let due = try transaction.dueTimers(owner: handler.name, now: now, limit: 500)
                var outputs: [OutboxMessage] = []
                for timer in due {
                    var context = HandlerContext(now: now, topics: topics, source: nil)
                    try handler.fire(timer, transaction: transaction, context: &context)
                    try transaction.cancelTimer(key: timer.key)
                    outputs += context.takeOutputs()
                }
                try transaction.enqueue(outputs)
                return due.map(\.key)
            }
        }
        forgetAttempts(fired)
        return fired.count
    }

    /// One transaction per due timer: each takes the first due timer not tried yet in this round
    /// (so that a shared store's row lock covers the timer it fires).
    private func fireOneByOne(now: Int64) async throws -> (fired: Int, deadLettered: Int) {
        let (handler, topics, group) = (self.handler, self.topics, self.groupID)
        var tried = Set<String>()
        var (fired, deadLettered) = (0, 0)
        while true {
            let skip = tried
            let outcome: TimerOutcome
            do {
                outcome = try await Retry.transient("fire timer", backoff: options.backoff, logger: logger, health: progress.store) {
                    try await self.store.transaction { transaction -> TimerOutcome in
                        let due = try transaction.dueTimers(owner: handler.name, now: now, limit: 500)
                        guard let timer = due.first(where: { !skip.contains($0.key) }) else { return .none }
                        var context = HandlerContext(now: now, topics: topics, source: nil)
                        do {
                            try handler.fire(timer, transaction: transaction, context: &context)
                        } catch where !Retry.isTransient(error) {
                            throw TimerFailure(timer: timer, error: error)
                        }
                        try transaction.cancelTimer(key: timer.key)
                        try transaction.enqueue(context.takeOutputs())
                        return .fired(timer.key)
                    }
                }
            } catch let failure as TimerFailure {
                tried.insert(failure.timer.key)
                if try await timerFailed(failure, group: group, now: now) { deadLettered += 1 }
                continue
            }
            switch outcome {
            case .none:
                return (fired, deadLettered)
            case .fired(let key):
                tried.insert(key)
                forgetAttempts([key])
                fired += 1
            }
        }
    }

    /// Counts a failed attempt; at the budget, dead-letters the timer and removes it. Returns
    /// true when it was dead-lettered.
    private func timerFailed(_ failure: TimerFailure, group: String, now: Int64) async throws -> Bool {
        let timer = failure.timer
        let attempts = timerAttempts.withLock { attempts in
            attempts[timer.key, default: 0] += 1
            return attempts[timer.key]!
        }
        let metadata: Logger.Metadata = [
            "timer": "\(timer.key)", "attempt": "\(attempts)", "error": "\(type(of: failure.error))",
        ]
        guard attempts >= options.maxAttempts else {
            var retry = WorkerStats()
            retry.retries = 1
            record(retry)
            logger.warning("timer failed; trying again on a later tick", metadata: metadata)
            return false
        }
        let letter = TimerDeadLetter(
            timer: timer, group: group, attempts: attempts, reason: "failed \(attempts) times: \(type(of: failure.error))",
            failedAt: now
        ).outboxMessage(topic: topics.deadLetters)
        try await Retry.transient("dead-letter timer", backoff: options.backoff, logger: logger, health: progress.store) {
            try await self.store.transaction { transaction in
                try transaction.cancelTimer(key: timer.key)
                try transaction.enqueue([letter])
            }
        }
        forgetAttempts([timer.key])
        var letterDelta = WorkerStats()
        letterDelta.deadLetteredByCode[TimerDeadLetter.code] = 1
        record(letterDelta)
        statsBox.withLock { $0.timersDeadLettered += 1 }
        logger.error("timer dead-lettered after repeated failures", metadata: metadata)
        return true
    }

    private func forgetAttempts(_ keys: [String]) {
        guard !keys.isEmpty else { return }
        timerAttempts.withLock { attempts in
            guard !attempts.isEmpty else { return }
            for key in keys { attempts[key] = nil }
        }
    }
}

/// What one timer transaction did.
private enum TimerOutcome: Sendable {
    case none
    case fired(String)
}

/// A timer whose handler threw, with the error.
private struct TimerFailure: Error {
    var timer: DurableTimer
    var error: any Error
}
