import TransitRPC
import TransitWire

/// The consumer groups of TrialTransit's workers and the topics each consumes (docs/TRIAL_ACCESS.md,
/// docs/TRANSPORT.md), for `groups` and for `lag` without `--topic`. TransitKafka has no
/// ListGroups, so unknown groups are only found when named.
enum KnownWorkerGroups {
    /// Group ids with their input topics (partner update topics for `partners`).
    static func groups(topics: TransitTopics, partners: [String]) -> [(group: String, topics: [String])] {
        [
            ("trialtransit.trial-access", [
                topics.enrollmentEvents, topics.travelRequests, topics.trialCatalog,
                topics.rpcRequests(service: TrialAccessService.name),
            ]),
            ("trialtransit.transport", [
                topics.trialAccessEvents, topics.travelRequests, topics.rpcRequests(service: TransportBookingService.name),
            ] + partners.map(topics.partnerUpdates)),
        ]
    }

    /// The input topics of a known group, or nil.
    static func topics(ofGroup group: String, topics: TransitTopics, partners: [String]) -> [String]? {
        groups(topics: topics, partners: partners).first { $0.group == group }?.topics
    }
}
