import Hummingbird
import Logging
import TransitKafka
import TransitTime
import TransitWire

/// The partner-facing REST endpoint: `POST /v1/partners/{partnerId}/updates` with a signed
/// `PartnerRideUpdate` in proto3 JSON. A valid update is published to the partner's updates topic
/// (key = booking id, the contract's partitioner) before the answer `202`; anything else gets a
/// 4xx with `{"code", "field", "message"}` and is never published.
public struct InboundUpdates: Sendable {
    private let partners: [String: WebhookPartner]
    private let options: GatewayOptions
    private let producer: KafkaProducer
    private let clock: any WallClock
    private let logger: Logger

    public init(
        partners: [WebhookPartner], options: GatewayOptions, producer: KafkaProducer, clock: any WallClock = .system,
        logger: Logger
    ) {
        self.partners = Dictionary(partners.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.options = options
        self.producer = producer
        self.clock = clock
        self.logger = logger
    }

    /// The routes (also `GET /healthz` for the partners' side: the gateway answers).
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in Self.json(status: 200, #"{"status":"live"}"#) }
        router.post("/v1/partners/:partnerId/updates") { request, context in
            let partnerID = context.parameters.get("partnerId") ?? ""
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: options.maxBodyBytes) } catch {
                return Self.refuse(
                    UpdateRefusal(status: 413, code: "BODY_TOO_LARGE", message: "body is larger than \(options.maxBodyBytes) bytes"))
            }
            let answer = await receive(
                partnerID: partnerID, body: Array(buffer: body),
                header: { name in request.headers.first { $0.name.canonicalName == name.lowercased() }?.value })
            GatewayMetrics.update(partner: partners[partnerID] == nil ? "unknown" : partnerID, code: answer.code)
            switch answer {
            case .success(let eventID): return Self.json(status: 202, JSONText.object([("accepted", JSONText.quoted(eventID))]))
            case .failure(let refusal): return Self.refuse(refusal)
            }
        }
        return router
    }

    /// Authenticates, validates and publishes one posted update; the event id on success.
    public func receive(partnerID: String, body: [UInt8], header: (String) -> String?) async -> Result<String, UpdateRefusal> {
        guard let partner = partners[partnerID] else {
            return .failure(UpdateRefusal(status: 404, code: "UNKNOWN_PARTNER", message: "no webhook partner with this id"))
        }
        if let refusal = partner.signer.verify(
            keyID: header(WebhookHeaders.keyID), timestamp: header(WebhookHeaders.timestamp),
            signature: header(WebhookHeaders.signature), body: body, nowSeconds: clock.nowMilliseconds() / 1000,
            window: options.replayWindow)
        {
            logger.warning("update refused: \(refusal.code)", metadata: ["partner": "\(partnerID)"])
            return .failure(UpdateRefusal(status: 401, code: refusal.code, message: refusal.reason))
        }
        let update: PartnerRideUpdate
        do { update = try UpdateValidation.update(partnerID: partnerID, body: body) } catch {
            logger.warning("update refused: \(error.code)", metadata: ["partner": "\(partnerID)"])
            return .failure(error)
        }
        do {
            _ = try await producer.send(
                KafkaProducerMessage(topic: options.topics.partnerUpdates(partnerID), key: update.bookingId, value: update.wireBytes()))
        } catch {
            logger.error("update not published: \(error)", metadata: ["partner": "\(partnerID)"])
            return .failure(UpdateRefusal(status: 503, code: "UNAVAILABLE", message: "the broker did not take the update; send it again"))
        }
        logger.info(
            "update published: \(update.status) sequence \(update.sequence)",
            metadata: ["partner": "\(partnerID)", "booking": "\(update.bookingId)"])
        return .success(update.eventId)
    }

    private static func refuse(_ refusal: UpdateRefusal) -> Response {
        json(status: refusal.status, refusal.json)
    }

    private static func json(status: Int, _ text: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Result<String, UpdateRefusal> {
    /// `ACCEPTED`, or the refusal's code (a metric label).
    fileprivate var code: String {
        switch self {
        case .success: "ACCEPTED"
        case .failure(let refusal): refusal.code
        }
    }
}
