import Testing
import TransitSoak

/// A small history builder: one patient on one partition per topic, offsets in call order.
private struct History {
    var inputs: [SoakInput] = []
    var outputs: [SoakOutput] = []
    var capacities: [String: Int] = ["T1/S1": 1]
    var answers: [String: [[UInt8]]] = [:]
    private var offsets: [String: Int64] = [:]

    mutating func input(_ id: String, _ key: String, _ kind: SoakInput.Kind) {
        inputs.append(SoakInput(eventID: id, key: key, kind: kind))
    }

    mutating func emit(_ id: String, _ key: String, _ fact: SoakFact, at: Int64 = 0, topic: String? = nil, bytes: [UInt8]? = nil) {
        let name = topic ?? (fact.kind.hasPrefix("Ride") ? "booking" : "access")
        let offset = offsets[name, default: 0]
        offsets[name] = offset + 1
        outputs.append(
            SoakOutput(
                topic: name, partition: 0, offset: offset, key: key, eventID: id, occurredAt: at,
                payload: bytes ?? Array(id.utf8), fact: fact))
    }

    var findings: SoakFindings {
        HistoryChecker.check(SoakHistory(inputs: inputs, outputs: outputs, capacities: capacities, answers: answers))
    }

    /// A patient referred, eligible with a slot, visit planned, a ride driven to completion.
    static func clean(patient: String = "p1") -> History {
        var history = History()
        history.addJourney(patient, slotAt: 1)
        return history
    }

    mutating func addJourney(_ patient: String, slotAt: Int64) {
        input("\(patient)-ref", patient, .referral)
        emit("\(patient)-ref/status", patient, .enrollmentStatus(trialID: "T1", previous: 0, state: 2))
        emit("\(patient)-ref/slot", patient, .slotReserved(trialID: "T1", siteID: "S1", slotID: "\(patient)-ref/slot"), at: slotAt)
        input("\(patient)-visit", patient, .visitScheduled(visitID: "\(patient)-v1"))
        emit("\(patient)-visit/travel", patient, .travelNeeded(visitID: "\(patient)-v1"))
        emit("\(patient)-b/req", patient, .rideRequested(bookingID: "\(patient)-b", visitID: "\(patient)-v1", legIDs: ["out"]))
        emit("\(patient)-b/conf", patient, .rideConfirmed(bookingID: "\(patient)-b", legID: "out"))
        for status in [3, 4, 6, 7] {
            emit("\(patient)-b/s\(status)", patient, .rideStatus(bookingID: "\(patient)-b", legID: "out", status: status))
        }
    }
}

@Suite("Soak history checker")
struct HistoryCheckerTests {
    @Test func aMovedVisitNeedsANewRideAfterItsNewTravelNeeded() {
        var history = History.clean()
        history.input("p1-move", "p1", .visitRescheduled(visitID: "p1-v1"))
        history.emit("p1-move/no-longer", "p1", .travelNoLongerNeeded(visitID: "p1-v1", visitCancelled: false), at: 10)
        history.emit("p1-move/travel", "p1", .travelNeeded(visitID: "p1-v1"), at: 10)
        #expect(history.findings.count(.stuck) == 1, "the ride of the old time does not serve the new one")
        var underWay = history
        underWay.emit("p1-b/att", "p1", .rideNeedsAttention(bookingID: "p1-b", legID: "out"), at: 10)
        #expect(underWay.findings.total == 0, "a ride under way when the visit moved waits for a person: \(underWay.findings.examples)")

        history.emit("p1-b/req2", "p1", .rideRequested(bookingID: "p1-b", visitID: "p1-v1", legIDs: ["out-2"]), at: 11)
        history.emit("p1-b/conf2", "p1", .rideConfirmed(bookingID: "p1-b", legID: "out-2"))
        for status in [3, 4, 6, 7] {
            history.emit("p1-b/2s\(status)", "p1", .rideStatus(bookingID: "p1-b", legID: "out-2", status: status))
        }
        #expect(history.findings.total == 0, "\(history.findings.examples)")
    }

    @Test func repeatedCallsWithOneKeyMustGetTheSameAnswerAndOneDecision() {
        var history = History()
        history.input("rpc:RequestTrialAccess:k1", "p1", .referral)
        history.emit("rpc:RequestTrialAccess:k1/status/eligible", "p1", .enrollmentStatus(trialID: "T1", previous: 0, state: 2))
        history.answers = ["rpc:RequestTrialAccess:k1": [[1, 2, 3], [1, 2, 3]]]
        #expect(history.findings.total == 0, "\(history.findings.examples)")

        var differing = history
        differing.answers["rpc:RequestTrialAccess:k1"] = [[1, 2, 3], [1, 2, 4]]
        #expect(differing.findings.count(.differentAnswers) == 1)

        var unanswered = history
        unanswered.answers["rpc:RequestTrialAccess:k2"] = []
        #expect(unanswered.findings.count(.differentAnswers) == 1)

        var undecided = history
        undecided.input("rpc:RequestTrialAccess:k3", "p3", .referral)
        undecided.answers["rpc:RequestTrialAccess:k3"] = [[9]]
        #expect(undecided.findings.count(.stuck) == 1)
    }

    @Test func aCleanHistoryHasNoAnomalies() {
        var history = History.clean()
        history.emit("p1-ref/release", "p1", .slotReleased(trialID: "T1", siteID: "S1", slotID: "p1-ref/slot"), at: 5)
        history.addJourney("p2", slotAt: 6)
        let findings = history.findings
        #expect(findings.total == 0, "\(findings.examples)")
        #expect(findings.identicalCopies == 0)
    }

    @Test func aByteIdenticalCopyIsAllowedButCounted() {
        var history = History.clean()
        history.emit("p1-b/s7", "p1", .rideStatus(bookingID: "p1-b", legID: "out", status: 7))
        let findings = history.findings
        #expect(findings.total == 0, "\(findings.examples)")
        #expect(findings.identicalCopies == 1)
    }

    @Test func aCopyWithOtherBytesIsAConflictingDuplicate() {
        var history = History.clean()
        history.emit("p1-b/s7", "p1", .rideStatus(bookingID: "p1-b", legID: "out", status: 7), bytes: [1, 2, 3])
        #expect(history.findings.count(.conflictingDuplicate) == 1)
        #expect(history.findings.total == 1)
    }

    @Test func oneEffectUnderTwoEventIDsIsADoubleEffect() {
        var history = History.clean()
        history.emit("p1-again/status", "p1", .enrollmentStatus(trialID: "T1", previous: 0, state: 2))
        #expect(history.findings.count(.doubleEffect) == 1, "\(history.findings.examples)")
        #expect(history.findings.total == 1, "\(history.findings.examples)")

        var ride = History.clean()
        ride.outputs.removeLast(2)  // up to DRIVER_ASSIGNED
        ride.emit("p1-upd2/s4", "p1", .rideStatus(bookingID: "p1-b", legID: "out", status: 4))
        #expect(ride.findings.count(.doubleEffect) == 1, "\(ride.findings.examples)")
    }

    @Test func aReorderingIsAnIllegalOrder() {
        var history = History()
        history.input("p1-ref", "p1", .referral)
        history.emit("p1-ref/status", "p1", .enrollmentStatus(trialID: "T1", previous: 0, state: 2))
        history.emit("p1-b/req", "p1", .rideRequested(bookingID: "p1-b", visitID: "v1", legIDs: ["out"]))
        history.emit("p1-b/s6", "p1", .rideStatus(bookingID: "p1-b", legID: "out", status: 6))
        history.emit("p1-b/s4", "p1", .rideStatus(bookingID: "p1-b", legID: "out", status: 4))
        history.emit("p1-b/s7", "p1", .rideStatus(bookingID: "p1-b", legID: "out", status: 7))
        let findings = history.findings
        #expect(findings.count(.illegalOrder) == 1, "\(findings.examples)")
        #expect(findings.total == 1, "\(findings.examples)")
    }

    @Test func anEnrollmentChangeFromAnotherStateIsAnIllegalOrder() {
        var history = History()
        history.input("p1-ref", "p1", .referral)
        history.emit("p1-ref/a", "p1", .enrollmentStatus(trialID: "T1", previous: 0, state: 2))
        history.emit("p1-c/b", "p1", .enrollmentStatus(trialID: "T1", previous: 6, state: 3))
        #expect(history.findings.count(.illegalOrder) == 1)
        #expect(history.findings.total == 1)
    }

    @Test func moreHoldsThanCapacityIsOverBooked() {
        var history = History.clean()
        history.addJourney("p2", slotAt: 2)  // p1's slot (at 1) is never released; capacity 1
        let findings = history.findings
        #expect(findings.count(.overBooked) == 1, "\(findings.examples)")
        #expect(findings.total == 1, "\(findings.examples)")
    }

    @Test func aLiveRideForACancelledVisitIsCounted() {
        var history = History()
        history.input("p1-ref", "p1", .referral)
        history.emit("p1-ref/status", "p1", .enrollmentStatus(trialID: "T1", previous: 0, state: 2))
        history.input("p1-visit", "p1", .visitScheduled(visitID: "v1"))
        history.emit("p1-visit/travel", "p1", .travelNeeded(visitID: "v1"))
        history.input("p1-cancel", "p1", .visitCancelled(visitID: "v1"))
        history.emit("p1-cancel/nln", "p1", .travelNoLongerNeeded(visitID: "v1", visitCancelled: true))
        history.emit("p1-b/req", "p1", .rideRequested(bookingID: "p1-b", visitID: "v1", legIDs: ["out"]))
        history.emit("p1-b/conf", "p1", .rideConfirmed(bookingID: "p1-b", legID: "out"))
        let findings = history.findings
        #expect(findings.count(.rideForCancelledVisit) == 1, "\(findings.examples)")
        #expect(findings.total == 1, "\(findings.examples)")

        history.emit("p1-b/cx", "p1", .rideCancelled(bookingID: "p1-b", legID: "out"))
        #expect(history.findings.total == 0, "a cancelled ride ends it: \(history.findings.examples)")
    }

    @Test func travelNeededAgainAfterTheCancellationIsCounted() {
        var history = History()
        history.input("p1-visit", "p1", .visitScheduled(visitID: "v1"))
        history.input("p1-cancel", "p1", .visitCancelled(visitID: "v1"))
        history.emit("p1-cancel/nln", "p1", .travelNoLongerNeeded(visitID: "v1", visitCancelled: true))
        history.emit("p1-visit/travel", "p1", .travelNeeded(visitID: "v1"))
        #expect(history.findings.count(.rideForCancelledVisit) == 1, "\(history.findings.examples)")
    }

    @Test func aSecondLiveRideForAVisitIsCounted() {
        var history = History.clean()
        history.outputs.removeLast(4)  // the first ride is confirmed, still live
        history.emit("p1-b2/req", "p1", .rideRequested(bookingID: "p1-b2", visitID: "p1-v1", legIDs: ["out"]))
        let findings = history.findings
        #expect(findings.count(.secondLiveRide) == 1, "\(findings.examples)")
    }

    @Test func journeysThatDoNotEndAreStuck() {
        var history = History.clean()
        history.outputs.removeLast(4)  // ride confirmed, never progresses
        history.input("p9-ref", "p9", .referral)  // never decided
        let findings = history.findings
        #expect(findings.count(.stuck) == 2, "\(findings.examples)")
        #expect(findings.total == 2)
    }

    @Test func aPatientRefInALogIsPersonalData() {
        let log = "worker started\nhandled batch of 3\nfailed for patient soak-7-p12\n"
        let findings = HistoryChecker.checkLog(
            log.split(separator: "\n"), secrets: ["soak-7-p12", "12 Elm Street"], logName: "trial-access-1.log")
        #expect(findings.count(.personalDataInLogs) == 1)
        #expect(findings.examples[.personalDataInLogs] == ["trial-access-1.log line 3"])
        #expect(HistoryChecker.checkLog("all fine\n".split(separator: "\n"), secrets: ["soak-7-p12"], logName: "x").total == 0)
    }
}
