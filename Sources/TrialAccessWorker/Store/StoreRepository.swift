import TransitStore
import TrialAccess

/// ``TrialAccessRepository`` over a worker's store transaction. With `locking`, every aggregate is
/// locked before it is read (see ``StoreLocks``), so it can be written back in the same transaction
/// without losing a concurrent change.
///
/// A patient's record is read from the store and decoded once per repository: ``save(enrollments:waitlists:)``
/// merges into the copy read before (and keeps what it wrote), instead of reading it again.
struct StoreRepository: TrialAccessRepository {
    let transaction: any StoreTransaction
    let locking: Bool
    private let records = Records()

    init(transaction: any StoreTransaction, locking: Bool) {
        self.transaction = transaction
        self.locking = locking
    }

    /// The patients' records as read or written through this repository, by patient ref.
    private final class Records {
        var byPatient: [String: PatientEnrollments] = [:]
    }

    func enrollments(patientRef: String) throws -> [Enrollment] {
        if locking { try StoreLocks(transaction: transaction).lockPatient(patientRef) }
        return try stored(patientRef: patientRef).enrollments
    }

    func waitlist(trialID: String) throws -> Waitlist? {
        if locking { try StoreLocks(transaction: transaction).lockWaitlist(trialID) }
        return try transaction.state(namespace: StateKeys.waitlist, key: trialID).map { try Waitlist(storedBytes: $0) }
    }

    /// The patient's stored enrollments (empty when none).
    func stored(patientRef: String) throws -> PatientEnrollments {
        if let known = records.byPatient[patientRef] { return known }
        let record: PatientEnrollments
        if let bytes = try transaction.state(namespace: StateKeys.enrollment, key: patientRef) {
            record = try PatientEnrollments(storedBytes: bytes)
        } else {
            record = PatientEnrollments(enrollments: [])
        }
        records.byPatient[patientRef] = record
        return record
    }

    /// Saves changed enrollments (merged into each patient's record) and waitlists.
    func save(enrollments changed: [Enrollment], waitlists: [Waitlist]) throws {
        var order: [String] = []
        var byPatient: [String: [Enrollment]] = [:]
        for enrollment in changed {
            if byPatient[enrollment.patientRef] == nil { order.append(enrollment.patientRef) }
            byPatient[enrollment.patientRef, default: []].append(enrollment)
        }
        for patientRef in order {
            var record = try stored(patientRef: patientRef)
            record.merge(byPatient[patientRef] ?? [])
            try transaction.setState(
                namespace: StateKeys.enrollment, key: patientRef, value: record.storedBytes)
            records.byPatient[patientRef] = record
        }
        for waitlist in waitlists {
            try transaction.setState(
                namespace: StateKeys.waitlist, key: waitlist.trialID, value: waitlist.storedBytes)
        }
    }
}
