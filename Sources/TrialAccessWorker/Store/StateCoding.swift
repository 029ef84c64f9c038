import Foundation
import TrialAccess

/// JSON coding of the aggregates kept in the store.
enum StateCoding {
    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            // The decoding error can quote stored values: report the type only.
            throw StoredStateError(type: String(describing: type))
        }
    }
}

/// A stored value that does not decode (a bug or a foreign writer); retried, never skipped.
struct StoredStateError: Error, CustomStringConvertible {
    let type: String
    var description: String { "stored \(type) does not decode" }
}

/// Every enrollment of one patient, stored under the patient's ref.
struct PatientEnrollments: Codable, Sendable, Hashable {
    /// By trial id (unique); sorted by trial id.
    var enrollments: [Enrollment]

    /// Replaces the enrollments with the same trial ids as `changed`, adds the others.
    mutating func merge(_ changed: [Enrollment]) {
        for enrollment in changed {
            if let index = enrollments.firstIndex(where: { $0.trialID == enrollment.trialID }) {
                enrollments[index] = enrollment
            } else {
                enrollments.append(enrollment)
            }
        }
        enrollments.sort { $0.trialID < $1.trialID }
    }
}

/// A catalogue record from `trial.catalog.v1`, as kept in the store.
struct LiveCatalogEntry: Codable, Sendable, Hashable {
    /// The definition; nil for a tombstone (the trial was removed).
    var trial: TrialDefinition?
}
