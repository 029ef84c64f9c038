/// One protocol visit of a patient at a trial site (mirrors `trialtransit.v1.Visit`).
public struct Visit: Codable, Sendable, Hashable {
    /// Issued by the enrollment system; unique per patient.
    public var visitID: String
    public var trialID: String
    /// Site of the visit (a site of the trial in the catalogue).
    public var siteID: String
    /// Protocol visit code, e.g. "SCREENING", "C1D1", "EOT", "FU-M3", "EOS".
    public var visitCode: String
    /// Appointment start, unix ms.
    public var scheduledAt: Int64
    /// Window the protocol allows for this visit.
    public var protocolWindow: TimeWindow
    /// Expected length in minutes; nil = not known (proto: 0).
    public var durationMinutes: Int?

    public init(
        visitID: String, trialID: String, siteID: String, visitCode: String, scheduledAt: Int64,
        protocolWindow: TimeWindow, durationMinutes: Int? = nil
    ) {
        self.visitID = visitID
        self.trialID = trialID
        self.siteID = siteID
        self.visitCode = visitCode
        self.scheduledAt = scheduledAt
        self.protocolWindow = protocolWindow
        self.durationMinutes = durationMinutes
    }
}

/// Where a visit stands in the plan.
public enum VisitStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case planned
    case completed
    case cancelled
}

/// A visit in an enrollment's plan.
public struct PlannedVisit: Codable, Sendable, Hashable {
    /// The visit as currently planned. Its `protocolWindow` is the one given when it was first
    /// scheduled: a reschedule is checked against it.
    public var visit: Visit
    public var status: VisitStatus
    /// The appointment lies outside the protocol window.
    public var windowAtRisk: Bool
    /// The site's location (drop-off), copied from the catalogue when scheduled.
    public var destination: SiteLocation
    /// A `TravelNeeded` for this visit is outstanding (sent and not retracted).
    public var travelRequested: Bool
    /// Appointment start before the last reschedule, unix ms.
    public var previousScheduledAt: Int64?
    /// When the visit was completed, unix ms.
    public var completedAt: Int64?
    /// The legs whose transport failed while the visit is planned (`VisitAtRisk`), the latest
    /// report per leg in the order first reported. A leg leaves when a ride is confirmed for it
    /// again (`VisitRiskCleared`); all leave when the visit is rescheduled, cancelled or completed.
    public var transportRisks: [VisitTransportRisk] {
        get { transportRiskList ?? [] }
        set { transportRiskList = newValue.isEmpty ? nil : newValue }
    }
    /// Backs ``transportRisks``; optional so that JSON rows written before it existed still decode.
    private var transportRiskList: [VisitTransportRisk]?
    /// An urgent (same-day) visit: its rides are offered with the earliest pickup
    /// (``TravelNeed/urgent``). Set by a grade 3 adverse event.
    public var urgent: Bool {
        get { urgentMark ?? false }
        set { urgentMark = newValue ? true : nil }
    }
    /// Backs ``urgent``; optional so that JSON rows written before the flag existed still decode.
    private var urgentMark: Bool?

    init(
        visit: Visit, status: VisitStatus, windowAtRisk: Bool, destination: SiteLocation, travelRequested: Bool,
        previousScheduledAt: Int64?, completedAt: Int64?, transportRisks: [VisitTransportRisk] = [], urgent: Bool = false
    ) {
        self.visit = visit
        self.status = status
        self.windowAtRisk = windowAtRisk
        self.destination = destination
        self.travelRequested = travelRequested
        self.previousScheduledAt = previousScheduledAt
        self.completedAt = completedAt
        self.transportRiskList = transportRisks.isEmpty ? nil : transportRisks
        self.urgentMark = urgent ? true : nil
    }
}
