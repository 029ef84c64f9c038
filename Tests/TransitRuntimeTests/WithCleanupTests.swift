import Testing
import TransitTestSupport

/// `withCleanup`, the async `defer` of the test harnesses.
@Suite("withCleanup")
struct WithCleanupTests {
    struct Failure: Error, Equatable {
        var name: String
    }

    actor Log {
        var entries: [String] = []
        func add(_ entry: String) { entries.append(entry) }
    }

    @Test func cleansUpAfterTheBodyAndReturnsItsValue() async throws {
        let log = Log()
        let value = try await withCleanup {
            await log.add("body")
            return 7
        } cleanup: {
            await log.add("cleanup")
        }
        #expect(value == 7)
        #expect(await log.entries == ["body", "cleanup"])
    }

    @Test func aFailingBodyIsCleanedUpAndItsErrorWinsOverTheCleanups() async {
        let log = Log()
        await #expect(throws: Failure(name: "body")) {
            try await withCleanup {
                throw Failure(name: "body")
            } cleanup: {
                await log.add("cleanup")
                throw Failure(name: "cleanup")
            }
        }
        #expect(await log.entries == ["cleanup"])
    }

    @Test func aFailingCleanupAfterASucceedingBodyIsThrown() async {
        await #expect(throws: Failure(name: "cleanup")) {
            try await withCleanup {} cleanup: { throw Failure(name: "cleanup") }
        }
    }
}
