import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Asks the process to stop (SIGTERM, a graceful shutdown) and waits up to `limit` for it;
    /// then kills it (SIGKILL), so that a process stuck in its shutdown never holds a test (or a
    /// CI run) for ever. Returns false when it had to be killed.
    @discardableResult
    public func stopGracefully(within limit: Duration = .seconds(45)) -> Bool {
        guard isRunning else { return true }
        terminate()
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while isRunning && clock.now < deadline { usleep(20_000) }
        guard isRunning else { return true }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
        return false
    }
}
