import Testing
import TransitKafka
import TransitTestSupport
import TransitWire

/// One message-size limit (#14 point 1): what a producer may send is what a decoder reads, so a
/// record too large to publish again (its dead-letter copy) is refused before it is decoded.
@Suite("message size limits agree")
struct SizeLimitAgreementTests {
    @Test func producerAndDecoderLimitsAgree() throws {
        #expect(WireLimits.defaultMaxMessageBytes == KafkaProducerConfiguration.defaultMaxMessageBytes)
        #expect(WireLimits.maxMessageBytes == KafkaProducerConfiguration.defaultMaxMessageBytes)
        let producer = KafkaProducerConfiguration(client: try TestEnvironment.client)
        #expect(
            producer.librdkafkaProperties["message.max.bytes"]
                == String(KafkaProducerConfiguration.defaultMaxMessageBytes))
    }
}
