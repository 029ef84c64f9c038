#!/usr/bin/env python3
"""A transport partner without Kafka, in Python's standard library only (http.server, hmac, json,
urllib): what a ride company does against `trialtransit partner-gateway` (docs/PARTNERS.md §6).

  - serves POST /trialtransit/commands, over HTTPS when given a certificate and key: checks X-TrialTransit-Key-Id, -Timestamp (within the replay
    window) and -Signature (HMAC-SHA-256 of "<timestamp>.<body>", compared in constant time), answers
    401 to anything else, and dedupes on X-TrialTransit-Delivery-Id (a delivery seen before is
    answered 200 again and not acted on twice);
  - answers an offer with ACCEPTED and a confirmation with DRIVER_ASSIGNED, ARRIVING, PICKED_UP and
    COMPLETED, posted (signed the same way) to the gateway's /v1/partners/<id>/updates, sequence
    rising by one per update, on a thread of its own (the webhook answer does not wait for them);
  - keeps a confirmation's details only while the ride runs, and forgets them on a cancellation;
  - takes feedback the same way (an InputFeedback whose inputRejected names an update of its own
    that TrialTransit could not apply) and keeps it.

It records what it saw (deliveries, attempts, refusals, posted updates and their answers) for the
conformance checks in webhook_journeys.py, and prints booking ids and statuses only.
"""

import hashlib
import hmac
import http.server
import json
import queue
import ssl
import threading
import time
import urllib.error
import urllib.request
import uuid

PROGRESS = ["RIDE_STATUS_DRIVER_ASSIGNED", "RIDE_STATUS_ARRIVING", "RIDE_STATUS_PICKED_UP", "RIDE_STATUS_COMPLETED"]
REPLAY_WINDOW_SECONDS = 300


def sign(secret, timestamp, body):
    """The X-TrialTransit-Signature value of `body` (bytes) signed at `timestamp` (unix seconds)."""
    return "v1=" + hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_headers(key_id, secret, body, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {"Content-Type": "application/json", "X-TrialTransit-Key-Id": key_id,
            "X-TrialTransit-Timestamp": str(timestamp), "X-TrialTransit-Signature": sign(secret, timestamp, body)}


def verify(headers, body, key_id, secret, now=None):
    """None when the request is signed by this partner's key within the window, else why not."""
    now = int(time.time()) if now is None else now
    if headers.get("X-TrialTransit-Key-Id") != key_id:
        return "unknown key id"
    try:
        timestamp = int(headers.get("X-TrialTransit-Timestamp", ""))
    except ValueError:
        return "bad timestamp"
    if abs(now - timestamp) > REPLAY_WINDOW_SECONDS:
        return "stale timestamp"
    if not hmac.compare_digest(headers.get("X-TrialTransit-Signature", ""), sign(secret, timestamp, body)):
        return "bad signature"
    return None


class WebhookPartner:
    def __init__(self, partner_id, key_id, secret, port, gateway_url, say=print, tls=None):
        """`tls`: (certificate chain file, key file) to serve HTTPS with; None serves plain HTTP."""
        self.partner_id = partner_id
        self.key_id = key_id
        self.secret = secret
        self.port = port
        self.gateway_url = gateway_url.rstrip("/")
        self.say = say
        self.tls = tls
        self.lock = threading.Lock()
        self.deliveries = {}  # delivery id -> command (first copy)
        self.attempts = []  # (delivery id, X-TrialTransit-Attempt) of every verified request
        self.duplicates = []  # delivery ids received again
        self.refused = []  # reasons of refused requests
        self.answers = []  # (update, HTTP status, answer body) of every update posted
        self.rejections = []  # inputRejected of every feedback received
        self.sequences = {}  # (booking, leg) -> last sequence sent
        self.details = {}  # (booking, leg) -> confirmation details while the ride runs
        self.work = queue.Queue()
        self.server = None
        threading.Thread(target=self._worker, daemon=True).start()

    # Webhook side

    def start(self):
        partner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                why = verify(self.headers, body, partner.key_id, partner.secret)
                if why is not None:
                    with partner.lock:
                        partner.refused.append(why)
                    partner.say(f"refused a request: {why}")
                    self._answer(401, {"error": why})
                    return
                partner.receive(self.headers.get("X-TrialTransit-Delivery-Id", ""),
                                int(self.headers.get("X-TrialTransit-Attempt", "0")), json.loads(body))
                self._answer(200, {"ok": True})

            def _answer(self, status, document):
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_):  # the partner prints its own lines
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(*self.tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.say(f"listening on {'https' if self.tls else 'http'}://127.0.0.1:{self.port}")

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def receive(self, delivery_id, attempt, command):
        with self.lock:
            self.attempts.append((delivery_id, attempt))
            if delivery_id in self.deliveries:
                self.duplicates.append(delivery_id)
                return
            self.deliveries[delivery_id] = command
        self.work.put(command)

    # Update side

    def post_update(self, update, secret=None, timestamp=None):
        """POSTs `update` (a dict, proto3 JSON) signed with `secret` (default the right one)."""
        body = json.dumps(update).encode()
        headers = signed_headers(self.key_id, secret or self.secret, body, timestamp)
        request = urllib.request.Request(
            f"{self.gateway_url}/v1/partners/{self.partner_id}/updates", data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        with self.lock:
            self.answers.append((update, status, text))
        return status, text

    def update(self, booking_id, leg_id, status):
        key = (booking_id, leg_id)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        update = {"eventId": str(uuid.uuid4()), "occurredAt": str(int(time.time() * 1000)), "partnerId": self.partner_id,
                  "bookingId": booking_id, "legId": leg_id, "partnerRideId": f"{self.partner_id}-{booking_id}-{leg_id}",
                  "status": status, "sequence": str(self.sequences[key])}
        answer, _ = self.post_update(update)
        self.say(f"update {booking_id} {leg_id}: {status} (sequence {self.sequences[key]}) -> HTTP {answer}")

    def _worker(self):
        while True:
            command = self.work.get()
            if "rideOffer" in command:
                offer = command["rideOffer"]
                self.say(f"offer {offer['bookingId']} {offer['legId']}")
                self.update(offer["bookingId"], offer["legId"], "RIDE_STATUS_ACCEPTED")
            elif "rideConfirmation" in command:
                confirmation = command["rideConfirmation"]
                key = (confirmation["bookingId"], confirmation["legId"])
                self.details[key] = {"pickup": confirmation.get("pickup"), "token": confirmation.get("contactToken")}
                self.say(f"confirmed {key[0]} {key[1]}: details received")
                for status in PROGRESS:
                    self.update(key[0], key[1], status)
                self.details.pop(key, None)
            elif "inputRejected" in command:
                rejected = command["inputRejected"]
                with self.lock:
                    self.rejections.append(rejected)
                self.say(f"feedback: update {rejected.get('inputEventId', '')} rejected ({rejected.get('reasonCode', '')})")
            elif "rideCancellation" in command:
                cancellation = command["rideCancellation"]
                key = (cancellation["bookingId"], cancellation["legId"])
                if cancellation.get("forgetRideDetails"):
                    self.details.pop(key, None)
                self.say(f"cancelled {key[0]} {key[1]}")
