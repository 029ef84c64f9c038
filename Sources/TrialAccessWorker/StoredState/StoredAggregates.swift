import TransitRuntime
import TransitWire
import TrialAccess

// The bytes the trial-access worker stores for its aggregates (``StoredState``): protobuf of
// trial_access_state.proto; JSON rows written before are read, never written.

extension PatientEnrollments {
    var storedBytes: [UInt8] {
        StoredState.encode(StoredPatientEnrollments(enrollments: enrollments.map { StoredEnrollment($0) }))
    }

    init(storedBytes bytes: [UInt8]) throws {
        self = try StoredState.decode(bytes, as: StoredPatientEnrollments.self) {
            PatientEnrollments(enrollments: try $0.enrollments.map { try $0.domain() })
        }
    }
}

extension Waitlist {
    var storedBytes: [UInt8] {
        StoredState.encode(
            StoredWaitlist(
                trialId: trialID,
                entries: entries.map {
                    StoredWaitlistEntry(
                        patientRef: $0.patientRef, queuedAt: $0.queuedAt, sequence: $0.sequence,
                        reachableSites: $0.reachableSites.map(StoredReachableSite.init), sourceEventId: $0.sourceEventID,
                        offerId: $0.offer?.offerID ?? "", offerSiteId: $0.offer?.siteID ?? "")
                }, nextSequence: nextSequence, revision: revision))
    }

    init(storedBytes bytes: [UInt8]) throws {
        self = try StoredState.decode(bytes, as: StoredWaitlist.self) { stored in
            Waitlist(
                trialID: stored.trialId,
                entries: stored.entries.map {
                    WaitlistEntry(
                        storedPatientRef: $0.patientRef, queuedAt: $0.queuedAt, sequence: $0.sequence,
                        reachableSites: $0.reachableSites.map(\.domain), sourceEventID: $0.sourceEventId,
                        offer: $0.offerId.isEmpty ? nil : WaitlistOffer(offerID: $0.offerId, siteID: $0.offerSiteId))
                }, nextSequence: stored.nextSequence, revision: stored.revision)
        }
    }
}

extension ReservationTimer {
    var storedBytes: [UInt8] {
        StoredState.encode(
            StoredReservationTimer(
                timerId: timerID, fireAt: fireAt, patientRef: patientRef, trialId: trialID, slotId: slotID))
    }

    init(storedBytes bytes: [UInt8]) throws {
        self = try StoredState.decode(bytes, as: StoredReservationTimer.self) { stored in
            var timer = ReservationTimer(
                patientRef: stored.patientRef, trialID: stored.trialId, slotID: stored.slotId, fireAt: stored.fireAt)
            timer.timerID = stored.timerId
            return timer
        }
    }
}

extension LiveCatalogEntry {
    /// The stored form of a catalogue record: the definition as received (nil: a tombstone).
    static func storedBytes(_ definition: TransitWire.TrialDefinition?) -> [UInt8] {
        StoredState.encode(StoredCatalogEntry(trial: definition))
    }

    /// Reads a stored record. Rows of the old JSON format (`{"trial": {…}}`, written by the
    /// definition's former `Codable` conformance in the proto3 JSON shape) are read through the
    /// generated proto3 JSON decoder.
    init(storedBytes bytes: [UInt8]) throws {
        do {
            let stored =
                StoredState.isLegacyJSON(bytes)
                ? try StoredCatalogEntry(jsonUTF8: bytes) : try StoredCatalogEntry(wireBytes: bytes)
            self.init(trial: try stored.trial?.domain())
        } catch {
            // Decoding errors can quote stored values: report the type only.
            throw StoredStateError(type: "LiveCatalogEntry")
        }
    }
}
