import TransitRPC
import TransitRuntime
import TransportWorker
import TrialAccessWorker

/// The consumer groups of TrialTransit's workers and the topics each consumes, as the worker
/// modules define them, for `groups` and for `lag` without `--topic`. TransitKafka has no
/// ListGroups, so unknown groups are only found when named.
enum KnownWorkerGroups {
    /// Group ids with their input topics (partner update topics for `partners`).
    static func groups(topics: TransitTopics, partners: [String]) -> [(group: String, topics: [String])] {
        [
            (groupID(TrialAccessHandler.workerName), TrialAccessHandler.inputTopics(topics)),
            (groupID(TransportHandler.workerName), TransportHandler.inputTopics(topics, partnerIDs: partners)),
        ]
    }

    /// The input topics of a known group, or nil.
    static func topics(ofGroup group: String, topics: TransitTopics, partners: [String]) -> [String]? {
        groups(topics: topics, partners: partners).first { $0.group == group }?.topics
    }

    private static func groupID(_ workerName: String) -> String {
        WorkerOptions.defaultGroupID(workerName: workerName)
    }
}
