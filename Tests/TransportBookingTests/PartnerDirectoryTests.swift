import Testing
import TransportBooking

/// The directory's own rules; the partner file that feeds it is tested in TransportWorkerTests
/// (`PartnerFileTests`).
@Suite("Partner directory")
struct PartnerDirectoryTests {
    @Test func duplicateIDsAreRefused() throws {
        #expect(throws: PartnerDirectoryError.duplicateID("metro-taxi")) {
            try PartnerDirectory(partners: [Fixture.taxi, Fixture.taxi])
        }
    }

    @Test func partnersAreOrderedByID() throws {
        let directory = try PartnerDirectory(partners: [Fixture.taxi, Fixture.medical])
        #expect(directory.partners.map(\.id) == ["careways-medical", "metro-taxi"])
        #expect(directory.partner(id: "metro-taxi") == Fixture.taxi)
    }
}
