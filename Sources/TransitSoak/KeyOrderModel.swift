/// The domain model the checker replays outputs through, per key in offset order: enrollment
/// states, slot holds, travel needs and ride legs.
struct KeyOrderModel {
    private struct Leg {
        var key: String
        var visit: String
        var lastProgress: Int?
        var terminal: Int?
        var cancellations: Set<String> = []
        var attention = false
        var live: Bool { terminal == nil && !attention }
    }

    private var enrollment: [String: Int] = [:]
    private var slotHeld: [String: String] = [:]
    private var travelCancelled: Set<String> = []
    private var travelOpen: Set<String> = []
    /// When trial access last said a visit needs travel, and when the transport worker last
    /// requested a ride for it (`occurred_at`, decision times: the topics are replayed one after
    /// the other, so only times relate them). A moved visit needs a ride requested after its new
    /// TravelNeeded: the ride of its old time was cancelled.
    private var neededAt: [String: Int64] = [:]
    private var requestedAt: [String: Int64] = [:]
    private var legs: [String: Leg] = [:]
    private var bookings: [String: [String]] = [:]
    private var legsOfBooking: [String: [String]] = [:]
    private var deadLetters: [String: String] = [:]

    mutating func apply(_ output: SoakOutput, _ findings: inout SoakFindings) {
        let key = output.key
        let at = "\(output.topic)/\(output.partition)/\(output.offset)"
        switch output.fact {
        case .enrollmentStatus(let trial, let previous, let state):
            let id = key + "|" + trial
            if let last = enrollment[id] {
                if state == last {
                    findings.record(.doubleEffect, "\(at): enrollment state \(state) twice")
                } else if previous != last {
                    findings.record(.illegalOrder, "\(at): enrollment \(previous)→\(state) while in \(last)")
                }
            }
            enrollment[id] = state
        case .slotReserved(let trial, _, let slot):
            let id = key + "|" + trial
            if let held = slotHeld[id], held != slot {
                findings.record(.doubleEffect, "\(at): a second slot for one enrollment")
            }
            slotHeld[id] = slot
        case .slotReleased(let trial, _, let slot):
            let id = key + "|" + trial
            if slotHeld[id] != slot {
                findings.record(.illegalOrder, "\(at): release of a slot not held")
            }
            slotHeld[id] = nil
        case .visitPlanned, .other:
            break
        case .deadLettered(let input):
            if let first = deadLetters[input], first != output.eventID {
                findings.record(.doubleEffect, "\(at): input \(input) dead-lettered again (first \(first))")
            }
            deadLetters[input] = deadLetters[input] ?? output.eventID
        case .travelNeeded(let visit):
            let id = key + "|" + visit
            if travelCancelled.contains(id) { findings.record(.rideForCancelledVisit, "\(at): travel needed after the visit was cancelled") }
            travelOpen.insert(id)
            neededAt[id] = max(neededAt[id] ?? output.occurredAt, output.occurredAt)
        case .travelNoLongerNeeded(let visit, let visitCancelled):
            let id = key + "|" + visit
            travelOpen.remove(id)
            if visitCancelled { travelCancelled.insert(id) }
        case .rideRequested(let booking, let visit, let legIDs):
            let id = key + "|" + visit
            let live = bookings[id, default: []].contains { other in
                legsOfBooking[other, default: []].contains { legs[$0]?.live ?? false }
            }
            if live { findings.record(.secondLiveRide, "\(at): ride requested while another is live for the visit") }
            requestedAt[id] = max(requestedAt[id] ?? output.occurredAt, output.occurredAt)
            if !bookings[id, default: []].contains(booking) { bookings[id, default: []].append(booking) }
            for leg in legIDs {
                let legKey = booking + "/" + leg
                if legs[legKey] == nil { legs[legKey] = Leg(key: key, visit: visit) }
                if !legsOfBooking[booking, default: []].contains(legKey) { legsOfBooking[booking, default: []].append(legKey) }
            }
        case .rideConfirmed(let booking, let leg):
            update(booking, leg, at, &findings) { leg, findings in
                if leg.terminal != nil { findings.record(.illegalOrder, "\(at): ride confirmed after its end") }
            }
        case .rideStatus(let booking, let leg, let status):
            update(booking, leg, at, &findings) { leg, findings in
                if let terminal = leg.terminal {
                    if !(terminal == SoakRideStatus.cancelled && status == SoakRideStatus.cancelled) {
                        findings.record(.illegalOrder, "\(at): ride status \(status) after terminal \(terminal)")
                    } else if !leg.cancellations.insert("status").inserted {
                        findings.record(.doubleEffect, "\(at): ride cancelled twice")
                    }
                    return
                }
                if SoakRideStatus.isProgress(status), let last = leg.lastProgress {
                    if status == last {
                        findings.record(.doubleEffect, "\(at): ride status \(status) twice")
                    } else if status < last {
                        findings.record(.illegalOrder, "\(at): ride status \(last)→\(status) backwards")
                    }
                }
                if SoakRideStatus.isProgress(status) { leg.lastProgress = max(status, leg.lastProgress ?? status) }
                if status == SoakRideStatus.needsAttention { leg.attention = true }
                if SoakRideStatus.isTerminal(status) {
                    leg.terminal = status
                    if status == SoakRideStatus.cancelled { leg.cancellations.insert("status") }
                }
            }
        case .rideCancelled(let booking, let leg):
            update(booking, leg, at, &findings) { leg, findings in
                if !leg.cancellations.insert("cancelled").inserted {
                    findings.record(.doubleEffect, "\(at): ride cancelled twice")
                } else if let terminal = leg.terminal, terminal != SoakRideStatus.cancelled {
                    findings.record(.illegalOrder, "\(at): ride cancelled after terminal \(terminal)")
                }
                leg.terminal = SoakRideStatus.cancelled
            }
        case .rideNeedsAttention(let booking, let leg):
            update(booking, leg, at, &findings) { leg, _ in leg.attention = true }
        }
    }

    private mutating func update(
        _ booking: String, _ leg: String, _ at: String, _ findings: inout SoakFindings,
        _ body: (inout Leg, inout SoakFindings) -> Void
    ) {
        let legKey = booking + "/" + leg
        guard var state = legs[legKey] else {
            findings.record(.illegalOrder, "\(at): ride event before its RideRequested")
            return
        }
        body(&state, &findings)
        legs[legKey] = state
    }

    /// After the last output: rides of visits the soak cancelled are over; every other leg ended
    /// or waits for a person; every open travel need has a ride requested after it, or a leg of
    /// the visit waits for a person (a ride already under way when the visit moved).
    func checkEnd(inputs: [SoakInput], _ findings: inout SoakFindings) {
        var cancelledVisits: Set<String> = []
        for input in inputs {
            switch input.kind {
            case .visitCancelled(let visit): cancelledVisits.insert(input.key + "|" + visit)
            case .visitScheduled(let visit), .visitRescheduled(let visit): cancelledVisits.remove(input.key + "|" + visit)
            default: break
            }
        }
        for (legKey, leg) in legs.sorted(by: { $0.key < $1.key }) where leg.live {
            if cancelledVisits.contains(leg.key + "|" + leg.visit) {
                findings.record(.rideForCancelledVisit, "leg \(legKey) still live for a cancelled visit")
            } else {
                findings.record(.stuck, "leg \(legKey) neither ended nor waits for attention")
            }
        }
        let waitingForAPerson = Set(legs.values.filter(\.attention).map { $0.key + "|" + $0.visit })
        for need in travelOpen.sorted() where !cancelledVisits.contains(need) && !waitingForAPerson.contains(need) {
            guard (requestedAt[need] ?? .min) < (neededAt[need] ?? .min) else { continue }
            findings.record(.stuck, "travel needed for visit \(need.split(separator: "|").last ?? "") has no ride")
        }
    }
}
