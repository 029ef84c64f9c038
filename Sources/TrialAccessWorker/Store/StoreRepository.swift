import TransitStore
import TrialAccess

/// ``TrialAccessRepository`` over a worker's store transaction. With `locking`, every aggregate is
/// locked before it is read (see ``StoreLocks``), so it can be written back in the same transaction
/// without losing a concurrent change.
struct StoreRepository: TrialAccessRepository {
    let transaction: any StoreTransaction
    let locking: Bool

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
        guard let bytes = try transaction.state(namespace: StateKeys.enrollment, key: patientRef) else {
            return PatientEnrollments(enrollments: [])
        }
        return try PatientEnrollments(storedBytes: bytes)
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
        }
        for waitlist in waitlists {
            try transaction.setState(
                namespace: StateKeys.waitlist, key: waitlist.trialID, value: waitlist.storedBytes)
        }
    }
}
