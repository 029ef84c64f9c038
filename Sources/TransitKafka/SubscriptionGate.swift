import Synchronization

/// A one-way gate for "has subscribed": tasks ``wait()`` until the owner calls ``open()`` once its
/// consumer subscribed (or assigned); after that, waiting returns at once.
public final class SubscriptionGate: Sendable {
    /// Waiting tasks, or nil once open.
    private let waiting = Mutex<[CheckedContinuation<Void, Never>]?>([])

    public init() {}

    /// Opens the gate and releases every waiting task. Opening again does nothing.
    public func open() {
        let released = waiting.withLock { waiting in
            defer { waiting = nil }
            return waiting ?? []
        }
        released.forEach { $0.resume() }
    }

    /// Returns once the gate is open.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = waiting.withLock { waiting -> Bool in
                guard waiting != nil else { return true }
                waiting!.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }
}
