import ArgumentParser
import Foundation
import TransitDemo

#if canImport(Glibc)
import Glibc
#endif

/// The faults `trialtransit soak --faults` can inject.
enum SoakFault: String, CaseIterable, Sendable {
    case kill9 = "kill9"
    case pause = "pause"
    case rebalance = "rebalance"
    case brokerRestart = "broker-restart"
    case storeRestart = "store-restart"
    case partition = "partition"

    /// `all` (every fault this store and machine allow: `partition` needs root, `ip` and `socat`),
    /// `none`, or a comma-separated list.
    static func parse(_ list: String, postgres: Bool) throws -> [SoakFault] {
        let trimmed = list.trimmingCharacters(in: .whitespaces)
        if trimmed == "none" || trimmed.isEmpty { return [] }
        if trimmed == "all" {
            let partition = (try? SoakPartition.checkAvailable()) != nil
            return allCases.filter { ($0 != .partition || partition) && ($0 != .storeRestart || postgres) }
        }
        var faults: [SoakFault] = []
        for name in trimmed.split(separator: ",") {
            guard let fault = SoakFault(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown fault '\(name)'; faults: \(allCases.map(\.rawValue).joined(separator: ", ")), all, none")
            }
            if fault == .partition {
                do { try SoakPartition.checkAvailable() } catch { throw ValidationError("\(error)") }
            }
            if fault == .storeRestart && !postgres {
                throw ValidationError("store-restart needs a PostgreSQL store (--store postgres or postgres://… with --postgres-data-dir)")
            }
            faults.append(fault)
        }
        return faults
    }
}

/// Injects one fault and returns what it did, for the timeline.
struct SoakFaultInjector: Sendable {
    let fleet: SoakFleet
    let services: SoakServices
    /// A paused worker stays stopped this long: past its session time-out (10 s).
    var pauseLength: Duration = .seconds(18)
    /// A joining worker stays this long before it leaves again.
    var rebalanceStay: Duration = .seconds(15)
    var storeDowntime: Duration = .seconds(10)
    /// A partitioned worker is cut from the broker this long: past its session time-out (10 s).
    var partitionLength: Duration = .seconds(20)

    func inject(_ fault: SoakFault, random: inout SeededRandom) async throws -> String {
        switch fault {
        case .kill9:
            let index = Int(random.next() % 1_000)
            guard let picked = await fleet.anyWorker(index) else { return "kill9: no worker running" }
            let (role, process) = (picked.role, picked.process)
            await fleet.retire(process)
            await process.killNow()
            let next = try await fleet.start(role)
            return "kill9 \(process.name) (pid \(process.pid)); started \(next.name)"
        case .pause:
            let index = Int(random.next() % 1_000)
            guard let process = await fleet.anyWorker(index)?.process else { return "pause: no worker running" }
            process.send(SIGSTOP)
            try await Task.sleep(for: pauseLength)
            process.send(SIGCONT)
            return "pause \(process.name) (SIGSTOP for \(pauseLength), then SIGCONT)"
        case .rebalance:
            let role: SoakFleet.Role = random.chance(0.5) ? .trialAccess : .transport
            let extra = try await fleet.start(role)
            try await Task.sleep(for: rebalanceStay)
            await fleet.retire(extra)
            await extra.stop()
            return "rebalance: \(extra.name) joined, left after \(rebalanceStay)"
        case .brokerRestart:
            try await services.restartBroker()
            return "broker-restart (graceful stop, start on the same data and port)"
        case .storeRestart:
            try await services.restartPostgres(downtime: storeDowntime)
            return "store-restart (PostgreSQL down \(storeDowntime))"
        case .partition:
            guard let partition = fleet.settings.partition, let process = await fleet.partitionedWorker() else {
                return "partition: no worker running in the partition's namespace"
            }
            try await SoakPartition.cut(partition, for: partitionLength)
            return "partition \(process.name) (cut from the broker for \(partitionLength), then reconnected)"
        }
    }
}
