/// The state every store transaction keeps for its calls: after the end they throw `.closed`, and
/// the first store error dooms the transaction (later calls, and the commit, rethrow it).
/// Used only on the transaction's thread.
final class TransactionGuard {
    private(set) var isOpen = true
    /// The first store error raised inside the transaction, if any.
    private(set) var failure: StoreError?

    /// Later calls through a leaked reference throw `.closed`.
    func end() { isOpen = false }

    /// Runs `body` if the transaction is usable; remembers the first store error.
    func run<R>(_ body: () throws -> R) throws -> R {
        guard isOpen else { throw StoreError(code: .closed, message: "the transaction has ended") }
        if let failure { throw failure }
        do {
            return try body()
        } catch let error as StoreError {
            failure = error
            throw error
        }
    }
}
