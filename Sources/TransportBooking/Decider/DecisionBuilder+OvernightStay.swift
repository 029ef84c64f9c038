extension DecisionBuilder {
    /// True when leg `index` is a return leg and its booking's travel day (outbound pickup to the
    /// return's latest arrival home, ``PickupWindowPlanner/travelDayMinutes(outboundPickupWindow:returnPickupWindow:from:to:)``)
    /// is longer than ``BookingConfig/longestTravelDayMinutes``: the patient would need an overnight
    /// stay. A leg no partner could take is not held for this (its own reason is more useful).
    func endsTravelDayTooLate(_ index: Int) -> Bool {
        let back = booking.legs[index]
        guard config.longestTravelDayMinutes > 0, back.direction == .return,
            let outbound = booking.legs.last(where: { $0.direction == .outbound && $0.revision == back.revision }),
            let site = back.pickup?.point, let home = back.dropOff?.point
        else { return false }
        let minutes = PickupWindowPlanner(config: config).travelDayMinutes(
            outboundPickupWindow: outbound.pickupWindow, returnPickupWindow: back.pickupWindow, from: site, to: home)
        guard minutes > config.longestTravelDayMinutes, case .partner? = partnerChoice(index) else { return false }
        return true
    }
}
