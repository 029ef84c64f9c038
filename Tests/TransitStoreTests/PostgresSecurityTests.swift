import Testing
import TransitStore
import TransitTestSupport

/// Passwords masked wherever a store location is shown; `sslmode`/`sslrootcert` passed to libpq.
@Suite struct PostgresSecurityTests {
    @Test func passwordsAreMaskedInURLsAndConnectionStrings() {
        let cases: [(String, String)] = [
            ("postgres://app:s3cret@db:5432/trials", "postgres://app:***@db:5432/trials"),
            ("postgresql://app:p%40ss@db/trials?sslmode=require", "postgresql://app:***@db/trials?sslmode=require"),
            ("postgres://app@db/trials?password=s3cret&sslmode=verify-full", "postgres://app@db/trials?password=***&sslmode=verify-full"),
            ("postgres://db/trials?sslmode=require&password=s3cret", "postgres://db/trials?sslmode=require&password=***"),
            ("host=db user=app password=s3cret dbname=trials", "host=db user=app password=*** dbname=trials"),
            ("postgres://app@db/trials?application_name=old_password=x", "postgres://app@db/trials?application_name=old_password=x"),
            ("sqlite:/var/lib/trialtransit.sqlite", "sqlite:/var/lib/trialtransit.sqlite"),
        ]
        for (location, redacted) in cases {
            #expect(PostgresURLRedaction.redacted(location) == redacted)
            #expect(!PostgresURLRedaction.redacted(location).contains("s3cret"))
        }
    }

    @Test func tlsParametersAreAddedToTheURL() throws {
        let tls = PostgresTLS(mode: "verify-full", rootCertificate: "/etc/trialtransit/pg ca.pem")
        #expect(try tls.applied(to: "postgres://app@db/trials") == "postgres://app@db/trials?sslmode=verify-full&sslrootcert=/etc/trialtransit/pg%20ca.pem")
        #expect(try PostgresTLS(mode: "require").applied(to: "postgres://app@db/trials?connect_timeout=5") == "postgres://app@db/trials?connect_timeout=5&sslmode=require")
        #expect(try PostgresTLS().applied(to: "postgres://app@db/trials") == "postgres://app@db/trials")
        #expect(throws: StoreError.self) { try PostgresTLS(mode: "always").applied(to: "postgres://db/x") }
        #expect(throws: StoreError.self) { try PostgresTLS(mode: "require").applied(to: "postgres://db/x?sslmode=disable") }
    }

    /// libpq receives the mode: the test server has no TLS, so `require` is refused by libpq itself.
    @Test func libpqHonoursTheSSLMode() async throws {
        let url = try TestEnvironment.postgresURL
        let required = try PostgresTLS(mode: "require").applied(to: url)
        do {
            let store = try PostgresStore(url: required, logger: TestEnvironment.logger("pg-tls"), connections: 1)
            try await store.close()
            Issue.record("a server without TLS was accepted with sslmode=require")
        } catch let error as StoreError {
            #expect(error.code == .unavailable && error.message.contains("SSL"), "\(error)")
        }
        let disabled = try PostgresTLS(mode: "disable").applied(to: url)
        let store = try PostgresStore(url: disabled, logger: TestEnvironment.logger("pg-tls"), connections: 1)
        try await store.close()
    }
}
