internal import CRdKafka

/// Turns OpenSSL's verdict on a broker certificate into one short sentence.
///
/// librdkafka reports every failed check with the same long text ("certificate verify failed: broker
/// certificate could not be verified, verify that ssl.ca.location is correctly configured…"), so a
/// wrong CA and a wrong host name look alike. Installed as librdkafka's certificate verification
/// callback when TLS is on, this keeps OpenSSL's own decision (it never accepts a certificate OpenSSL
/// refused) and records why, for ``RDKafkaClient/error(_:_:)`` and the error callback to report.
enum RDKafkaCertificateCheck {
    /// Installs the callback on `conf`; only for configurations with TLS on.
    static func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_ssl_cert_verify_cb(conf, certificateVerifyCallback)
    }

    /// The sentence for OpenSSL verification error `code` (`X509_V_ERR_*` of `<openssl/x509_vfy.h>`)
    /// on the certificate of broker `broker` (`host:port`).
    static func reason(code: Int32, broker: String) -> String {
        let host = broker.lastIndex(of: ":").map { String(broker[..<$0]) } ?? broker
        let what: String
        switch code {
        case 62, 64:  // X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
            what = "its certificate is not issued for host \(host)"
        case 2, 18, 19, 20, 21:  // unable to get issuer (locally), self-signed (in chain), unable to verify leaf
            what = "its certificate is not signed by a trusted CA (check the TLS CA file)"
        case 10:  // X509_V_ERR_CERT_HAS_EXPIRED
            what = "its certificate has expired"
        case 9:  // X509_V_ERR_CERT_NOT_YET_VALID
            what = "its certificate is not valid yet"
        default:
            what = "its certificate failed verification (OpenSSL X509 error \(code))"
        }
        return "TLS to broker \(broker) failed: \(what)"
    }
}

/// librdkafka's certificate verification callback: called for each certificate of the chain with
/// OpenSSL's error for it (0 when it passed); returns 1 to accept, 0 to refuse.
private func certificateVerifyCallback(
    _ rk: OpaquePointer?, _ brokerName: UnsafePointer<CChar>?, _ brokerID: Int32, _ x509Error: UnsafeMutablePointer<Int32>?,
    _ depth: Int32, _ certificate: UnsafePointer<CChar>?, _ size: Int, _ errorText: UnsafeMutablePointer<CChar>?,
    _ errorTextSize: Int, _ opaque: UnsafeMutableRawPointer?
) -> Int32 {
    guard let code = x509Error?.pointee, code != 0 else { return 1 }
    let reason = RDKafkaCertificateCheck.reason(code: code, broker: brokerName.map { String(cString: $0) } ?? "?")
    if let opaque {
        Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue().handshakeFailure.withLock {
            $0 = RDKafkaHandshakeFailure(text: reason, isRefusal: true)
        }
    }
    if let errorText, errorTextSize > 0 {
        let bytes = Array(reason.utf8.prefix(errorTextSize - 1))
        for (index, byte) in bytes.enumerated() { errorText[index] = CChar(bitPattern: byte) }
        errorText[bytes.count] = 0
    }
    return 0
}
