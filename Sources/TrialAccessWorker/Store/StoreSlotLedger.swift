import TransitStore
import TrialAccess

/// ``SlotLedger`` over the transaction's counters `slots/<trial>/<site>`: `reserve` is the store's
/// conditional update (`used + 1 <= capacity`), safe when several processes race for the last slot.
///
/// The port cannot throw: a store error is kept, every later call does nothing, and
/// ``rethrowFailure()`` raises it after the domain call (the transaction is doomed anyway).
struct StoreSlotLedger: SlotLedger {
    let transaction: any StoreTransaction
    private(set) var failure: (any Error)?

    init(transaction: any StoreTransaction) {
        self.transaction = transaction
    }

    mutating func reserve(trialID: String, siteID: String) -> Bool {
        guard failure == nil else { return false }
        do {
            return try transaction.reserve(counter: StateKeys.slotCounter(trialID: trialID, siteID: siteID), amount: 1)
        } catch {
            failure = error
            return false
        }
    }

    mutating func release(trialID: String, siteID: String) {
        guard failure == nil else { return }
        do {
            try transaction.release(counter: StateKeys.slotCounter(trialID: trialID, siteID: siteID), amount: 1)
        } catch {
            failure = error
        }
    }

    /// Throws the first store error a ledger call met.
    func rethrowFailure() throws {
        if let failure { throw failure }
    }
}
