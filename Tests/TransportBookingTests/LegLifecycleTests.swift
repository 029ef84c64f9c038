import Testing
import TransportBooking

/// What a partner update does to a leg.
enum UpdateOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Applied; the leg ends in this status (after any automatic follow-up such as the next offer).
    case moves(to: RideStatus)
    /// Same status again: the estimate is refreshed, no event.
    case refreshes
    /// Not above the leg's rank: a no-op.
    case ignored
    /// Above the rank but illegal: status kept, flagged for a coordinator.
    case flagged

    var description: String {
        switch self {
        case .moves(let status): "moves to \(status)"
        case .refreshes: "refreshes"
        case .ignored: "ignored"
        case .flagged: "flagged"
        }
    }
}

struct TransitionCase: Sendable, CustomStringConvertible {
    let from: RideStatus
    let update: RideStatus
    let outcome: UpdateOutcome
    var description: String { "\(from) + \(update) → \(outcome)" }
}

@Suite("Leg lifecycle")
struct LegLifecycleTests {
    /// Partner statuses used to walk a leg to `from`.
    static let path: [RideStatus] = [.accepted, .driverAssigned, .arriving, .pickedUp]

    /// Every partner status from every live status.
    static let table: [TransitionCase] = {
        let o = RideStatus.offered
        let a = RideStatus.accepted
        let d = RideStatus.driverAssigned
        let r = RideStatus.arriving
        let p = RideStatus.pickedUp
        return [
            // From offered: answers to the offer, or progress that implies acceptance.
            TransitionCase(from: o, update: .accepted, outcome: .moves(to: .accepted)),
            TransitionCase(from: o, update: .rejected, outcome: .moves(to: .offered)),
            TransitionCase(from: o, update: .noDriversAvailable, outcome: .moves(to: .offered)),
            TransitionCase(from: o, update: .cancelled, outcome: .moves(to: .offered)),
            TransitionCase(from: o, update: .driverAssigned, outcome: .moves(to: .driverAssigned)),
            TransitionCase(from: o, update: .arriving, outcome: .moves(to: .arriving)),
            TransitionCase(from: o, update: .pickedUp, outcome: .moves(to: .pickedUp)),
            TransitionCase(from: o, update: .completed, outcome: .moves(to: .completed)),
            TransitionCase(from: o, update: .noShow, outcome: .flagged),
            // From accepted.
            TransitionCase(from: a, update: .accepted, outcome: .refreshes),
            TransitionCase(from: a, update: .rejected, outcome: .ignored),
            TransitionCase(from: a, update: .noDriversAvailable, outcome: .ignored),
            TransitionCase(from: a, update: .driverAssigned, outcome: .moves(to: .driverAssigned)),
            TransitionCase(from: a, update: .arriving, outcome: .moves(to: .arriving)),
            TransitionCase(from: a, update: .pickedUp, outcome: .moves(to: .pickedUp)),
            TransitionCase(from: a, update: .completed, outcome: .moves(to: .completed)),
            TransitionCase(from: a, update: .noShow, outcome: .moves(to: .noShow)),
            TransitionCase(from: a, update: .cancelled, outcome: .moves(to: .cancelled)),
            // From driver assigned.
            TransitionCase(from: d, update: .accepted, outcome: .ignored),
            TransitionCase(from: d, update: .rejected, outcome: .ignored),
            TransitionCase(from: d, update: .noDriversAvailable, outcome: .ignored),
            TransitionCase(from: d, update: .driverAssigned, outcome: .refreshes),
            TransitionCase(from: d, update: .arriving, outcome: .moves(to: .arriving)),
            TransitionCase(from: d, update: .pickedUp, outcome: .moves(to: .pickedUp)),
            TransitionCase(from: d, update: .completed, outcome: .moves(to: .completed)),
            TransitionCase(from: d, update: .noShow, outcome: .moves(to: .noShow)),
            TransitionCase(from: d, update: .cancelled, outcome: .moves(to: .cancelled)),
            // From arriving.
            TransitionCase(from: r, update: .accepted, outcome: .ignored),
            TransitionCase(from: r, update: .rejected, outcome: .ignored),
            TransitionCase(from: r, update: .noDriversAvailable, outcome: .ignored),
            TransitionCase(from: r, update: .driverAssigned, outcome: .ignored),
            TransitionCase(from: r, update: .arriving, outcome: .refreshes),
            TransitionCase(from: r, update: .pickedUp, outcome: .moves(to: .pickedUp)),
            TransitionCase(from: r, update: .completed, outcome: .moves(to: .completed)),
            TransitionCase(from: r, update: .noShow, outcome: .moves(to: .noShow)),
            TransitionCase(from: r, update: .cancelled, outcome: .moves(to: .cancelled)),
            // From picked up: only completion; no-show or cancel after pickup make no sense.
            TransitionCase(from: p, update: .accepted, outcome: .ignored),
            TransitionCase(from: p, update: .rejected, outcome: .ignored),
            TransitionCase(from: p, update: .noDriversAvailable, outcome: .ignored),
            TransitionCase(from: p, update: .driverAssigned, outcome: .ignored),
            TransitionCase(from: p, update: .arriving, outcome: .ignored),
            TransitionCase(from: p, update: .pickedUp, outcome: .refreshes),
            TransitionCase(from: p, update: .completed, outcome: .moves(to: .completed)),
            TransitionCase(from: p, update: .noShow, outcome: .flagged),
            TransitionCase(from: p, update: .cancelled, outcome: .flagged),
        ]
    }()

    /// A booking whose outbound leg is in `status` (carried by the taxi), return leg offered.
    static func scenario(at status: RideStatus) throws -> Scenario {
        var scenario = try Scenario.booked()
        var sequence: UInt64 = 0
        for step in path where scenario.leg(Leg.out).status != status {
            sequence += 1
            try scenario.update(Leg.out, step, sequence: sequence)
        }
        #expect(scenario.leg(Leg.out).status == status)
        return scenario
    }

    @Test func theTableCoversEveryPartnerStatusFromEveryLiveStatus() {
        let live: [RideStatus] = [.offered, .accepted, .driverAssigned, .arriving, .pickedUp]
        for from in live {
            for update in RideStatus.partnerReportable {
                #expect(Self.table.contains { $0.from == from && $0.update == update }, "missing \(from) + \(update)")
            }
        }
    }

    @Test(arguments: table)
    func partnerUpdate(_ testCase: TransitionCase) throws {
        var scenario = try Self.scenario(at: testCase.from)
        let before = scenario.value
        let decision = try scenario.update(
            Leg.out, testCase.update, sequence: 10, eta: Fixture.appointment - Fixture.hour)
        let leg = scenario.leg(Leg.out)
        switch testCase.outcome {
        case .moves(let status):
            #expect(leg.status == status)
            #expect(
                leg.history.contains {
                    $0.to == testCase.update || (testCase.update == .cancelled && $0.to == .rejected)
                })
            #expect(leg.lastPartnerSequence == (status == .offered ? 0 : 10))
            #expect(!decision.events.isEmpty && !decision.audit.isEmpty)
            #expect(decision.ignoredReason == nil)
        case .refreshes:
            #expect(leg.status == testCase.from)
            #expect(leg.etaAt == Fixture.appointment - Fixture.hour)
            #expect(leg.lastPartnerSequence == 10)
            #expect(decision.events.isEmpty)
        case .ignored:
            #expect(decision.isNoOp)
            #expect(scenario.value == before)
        case .flagged:
            #expect(leg.status == testCase.from)
            #expect(leg.attentionReason == .invalidPartnerUpdate)
            #expect(decision.attention.map(\.reason) == [.invalidPartnerUpdate])
        }
    }

    @Test func aRideGoesFromRequestToCompletionWithOneEventPerStep() throws {
        var scenario = Scenario(directory: Fixture.directory)
        let booked = try scenario.apply(.requestTravel(Fixture.request(returnTrip: false)))
        #expect(scenario.leg(Leg.out).history.map(\.to) == [.requested, .offered])
        #expect(booked.requested.count == 1 && booked.offered.count == 1 && booked.offers.count == 1)

        let accepted = try scenario.update(Leg.out, .accepted, sequence: 1, eta: Fixture.appointment - Fixture.hour)
        #expect(accepted.confirmed.map(\.partnerRideID) == ["ride-\(Leg.out)"])
        #expect(
            accepted.timersCancelled == [
                OfferTimer.id(bookingID: scenario.value.bookingID, legID: Leg.out, offerSequence: 1)
            ])

        for (sequence, status) in [(2, RideStatus.driverAssigned), (3, .arriving), (4, .pickedUp), (5, .completed)] {
            let previous = scenario.leg(Leg.out).status
            let decision = try scenario.update(Leg.out, status, sequence: UInt64(sequence))
            #expect(decision.statusChanges.map(\.previousStatus) == [previous])
            #expect(decision.statusChanges.map(\.status) == [status])
            #expect(decision.statusChanges.first?.partnerSequence == UInt64(sequence))
        }
        #expect(
            scenario.leg(Leg.out).history.map(\.to) == [
                .requested, .offered, .accepted, .driverAssigned, .arriving, .pickedUp, .completed,
            ])
        #expect(
            scenario.leg(Leg.out).history.allSatisfy {
                $0.sourceEventID.hasPrefix("pu-") || $0.sourceEventID == "tar-1"
            })
    }

    @Test func impliedAcceptanceEmitsAConfirmationBeforeTheStatusChange() throws {
        var scenario = try Scenario.booked()
        let decision = try scenario.update(Leg.out, .arriving, sequence: 1)
        #expect(decision.confirmed.count == 1)
        #expect(decision.statusChanges.map(\.previousStatus) == [.accepted])
        #expect(scenario.leg(Leg.out).history.suffix(2).map(\.to) == [.accepted, .arriving])
    }

    @Test(arguments: [RideStatus.requested, .offered, .offerTimedOut, .needsAttention])
    func statusesPartnersMayNotSendAreInvalid(status: RideStatus) throws {
        let scenario = try Scenario.booked()
        let update = PartnerUpdate(
            eventID: "pu-x", partnerID: "metro-taxi", bookingID: scenario.value.bookingID, legID: Leg.out,
            status: status, sequence: 1)
        #expect(scenario.rejection(.partnerUpdate(update))?.code == .invalidArgument)
    }

    @Test(arguments: [RideStatus.completed, .noShow, .cancelled])
    func finishedLegsIgnoreEverythingButALateAcceptance(terminal: RideStatus) throws {
        var scenario = try Self.scenario(at: .arriving)
        try scenario.update(Leg.out, terminal, sequence: 4)
        #expect(scenario.leg(Leg.out).status == terminal)
        let before = scenario.value
        let progress = try scenario.update(Leg.out, .pickedUp, sequence: 5, partner: "metro-taxi")
        #expect(progress.isNoOp && scenario.value == before)
        let lateAccept = try scenario.update(Leg.out, .accepted, sequence: 6, partner: "metro-taxi")
        #expect(lateAccept.cancellations.map(\.partnerID) == ["metro-taxi"])
        #expect(scenario.leg(Leg.out).status == terminal)
    }

    /// What cancelling one leg does in each status it can be in after a decision.
    static let cancelTable: [(RideStatus, BookingRejection.Code?)] = [
        (.offered, nil), (.accepted, nil), (.driverAssigned, nil), (.arriving, nil), (.needsAttention, nil),
        (.pickedUp, .invalidTransition), (.completed, .invalidTransition), (.noShow, .invalidTransition),
        (.cancelled, nil),
    ]

    @Test(arguments: cancelTable)
    func cancellingOneLeg(from status: RideStatus, refusal: BookingRejection.Code?) throws {
        var scenario: Scenario
        switch status {
        case .needsAttention:
            scenario = try Scenario.booked(Fixture.request(pickup: Fixture.springfieldHome))
        case .noShow, .cancelled, .completed:
            scenario = try Self.scenario(at: .arriving)
            try scenario.update(Leg.out, status, sequence: 9)
        default:
            scenario = try Self.scenario(at: status)
        }
        #expect(scenario.leg(Leg.out).status == status)
        let command = BookingCommand.cancel(
            CancelRequest(eventID: "cx-1", legID: Leg.out, actor: .coordinator, reasonCode: "COORDINATOR_REQUEST"))
        if let refusal {
            #expect(scenario.rejection(command)?.code == refusal)
            return
        }
        let before = scenario.value
        let decision = try scenario.apply(command)
        #expect(scenario.leg(Leg.out).status == .cancelled)
        if status == .cancelled {
            #expect(decision.isNoOp && scenario.value == before)
        } else {
            #expect(scenario.leg(Leg.out).cancelledBy == .coordinator)
            #expect(decision.cancelled.map(\.legID) == [Leg.out])
            // Only a partner that knows the leg is told.
            #expect(decision.cancellations.isEmpty == (status == .needsAttention))
        }
    }

    @Test func everyNonTerminalStatusHasAWayOutAndTerminalOnesHaveNone() {
        for status in RideStatus.allCases {
            let successors = LegTransitionRules.successors[status] ?? []
            #expect(successors.isEmpty == status.isTerminal, "\(status)")
        }
    }

    /// A coordinator's rebooking (needsAttention -> offered, RebookRide) is a retry too.
    @Test func allowedTransitionsNeverLowerTheRankExceptRetryingAfterAFailedOffer() {
        for (from, successors) in LegTransitionRules.successors {
            for to in successors {
                let rebooked = from == .needsAttention && to == .offered
                #expect(to.rank >= from.rank || from.isOfferFailure || rebooked, "\(from) -> \(to)")
            }
        }
    }

    @Test func everyStatusIsReachableFromRequested() {
        var reached: Set<RideStatus> = [.requested]
        var frontier: [RideStatus] = [.requested]
        while let next = frontier.popLast() {
            for successor in LegTransitionRules.successors[next] ?? [] where reached.insert(successor).inserted {
                frontier.append(successor)
            }
        }
        #expect(reached == Set(RideStatus.allCases))
    }

    @Test func protoNumbersRoundTripAndAreDistinct() {
        #expect(Set(RideStatus.allCases.map(\.protoNumber)).count == RideStatus.allCases.count)
        for status in RideStatus.allCases { #expect(RideStatus(protoNumber: status.protoNumber) == status) }
        for mobility in Mobility.allCases { #expect(Mobility(protoNumber: mobility.protoNumber) == mobility) }
        for actor in CancellationActor.allCases { #expect(CancellationActor(protoNumber: actor.protoNumber) == actor) }
        for reason in PartnerReason.allCases { #expect(PartnerReason(protoNumber: reason.protoNumber) == reason) }
        #expect(RideStatus(protoNumber: 0) == nil && Mobility(protoNumber: 0) == nil)
    }
}
