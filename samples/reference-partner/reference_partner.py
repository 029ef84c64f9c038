#!/usr/bin/env python3
"""A reference transport partner for TrialTransit in plain Python: confluent-kafka and protobuf.

It shows everything a partner does on the Kafka side (docs/PARTNERS.md):

  - reads PartnerRideCommand records from `transport.partner.<id>.requests.v1` in its own consumer
    group, and dedupes them by `event_id`;
  - answers a RideOffer with one PartnerRideUpdate on `transport.partner.<id>.updates.v1`, key =
    booking id: ACCEPTED, or REJECTED with a reason (`--policy reject`), or nothing (`--policy
    lapse`: the offer times out);
  - keeps a RideConfirmation's pickup, drop-off, language and contact token in memory only while
    the ride runs, then drives the leg DRIVER_ASSIGNED -> ARRIVING -> PICKED_UP -> COMPLETED with a
    sequence that rises by one per update (`--hold-at STATUS` stops at that status, so that a
    cancellation can be seen arriving mid-ride);
  - on a RideCancellation stops the leg, and with `forget_ride_details` deletes the details.

It prints one line per action (booking id, leg, status); never an address or a contact token.

    python reference_partner.py --brokers 127.0.0.1:9092 --partner metro-taxi [--topic-prefix P]
        [--policy accept|reject|lapse] [--hold-at driver-assigned|arriving|picked-up]

The generated Python code of protos/ must be importable (`protoc -I protos --python_out=DIR`, then
PYTHONPATH=DIR). SIGTERM or SIGINT stops it after the record in hand.
"""

import argparse
import signal
import sys
import time
import uuid

from confluent_kafka import Consumer, KafkaException, Producer

from trialtransit.v1 import common_pb2, partner_pb2

PROGRESS = [
    common_pb2.RIDE_STATUS_DRIVER_ASSIGNED,
    common_pb2.RIDE_STATUS_ARRIVING,
    common_pb2.RIDE_STATUS_PICKED_UP,
    common_pb2.RIDE_STATUS_COMPLETED,
]
HOLD_AT = {
    "driver-assigned": common_pb2.RIDE_STATUS_DRIVER_ASSIGNED,
    "arriving": common_pb2.RIDE_STATUS_ARRIVING,
    "picked-up": common_pb2.RIDE_STATUS_PICKED_UP,
}


def status_name(status):
    return common_pb2.RideStatus.Name(status).removeprefix("RIDE_STATUS_").lower()


class Leg:
    """What the partner knows of one leg: its last sequence and, while the ride runs, its details."""

    def __init__(self):
        self.sequence = 0
        self.details = None
        self.done = False


class ReferencePartner:
    def __init__(self, brokers, partner_id, prefix="", policy="accept", hold_at=None, group=None, say=print):
        self.partner_id = partner_id
        self.requests_topic = f"{prefix}transport.partner.{partner_id}.requests.v1"
        self.updates_topic = f"{prefix}transport.partner.{partner_id}.updates.v1"
        self.policy = policy
        self.hold_at = hold_at
        self.say = say
        self.seen = set()  # command event ids already handled
        self.legs = {}  # (booking_id, leg_id) -> Leg
        self.stopping = False
        self.consumer = Consumer({
            "bootstrap.servers": brokers,
            "group.id": group or f"partner-{partner_id}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": True,
        })
        # The contract's partitioner (docs/CONTRACT.md §2): keys land where TrialTransit puts them.
        self.producer = Producer({
            "bootstrap.servers": brokers,
            "partitioner": "murmur2_random",
            "enable.idempotence": True,
            "linger.ms": 0,
        })

    def run(self):
        self.consumer.subscribe([self.requests_topic])
        self.say(f"reading {self.requests_topic}, answering on {self.updates_topic}, policy {self.policy}")
        try:
            while not self.stopping:
                record = self.consumer.poll(0.2)
                if record is None:
                    continue
                if record.error():
                    if record.error().retriable() or not record.error().fatal():
                        continue
                    raise KafkaException(record.error())
                self.receive(record.value())
                self.producer.flush(10)
        finally:
            self.producer.flush(10)
            self.consumer.close()

    def receive(self, value):
        command = partner_pb2.PartnerRideCommand()
        try:
            command.ParseFromString(value)
        except Exception as error:  # a malformed command: report, never crash
            self.say(f"undecodable command skipped: {error}")
            return
        if not command.event_id or command.event_id in self.seen:
            return
        self.seen.add(command.event_id)
        body = command.WhichOneof("body")
        if body == "ride_offer":
            self.offer(command.ride_offer)
        elif body == "ride_confirmation":
            self.confirmation(command.ride_confirmation)
        elif body == "ride_cancellation":
            self.cancellation(command.ride_cancellation)
        else:
            self.say(f"command {command.event_id} of a kind this partner does not know: ignored")

    def offer(self, offer):
        leg = self.legs.setdefault((offer.booking_id, offer.leg_id), Leg())
        if leg.sequence > 0:
            return  # already answered
        self.say(f"offer {offer.booking_id} {offer.leg_id}: {offer.distance_m} m, mobility "
                 f"{common_pb2.Mobility.Name(offer.mobility)}, {offer.companions} companions")
        if self.policy == "lapse":
            self.say(f"offer {offer.booking_id} {offer.leg_id}: left to lapse")
            return
        if self.policy == "reject":
            self.update(offer.booking_id, offer.leg_id, leg, common_pb2.RIDE_STATUS_REJECTED,
                        reason=partner_pb2.PARTNER_REASON_NO_DRIVER)
            leg.done = True
            return
        self.update(offer.booking_id, offer.leg_id, leg, common_pb2.RIDE_STATUS_ACCEPTED)

    def confirmation(self, confirmation):
        leg = self.legs.setdefault((confirmation.booking_id, confirmation.leg_id), Leg())
        if leg.done:
            return
        # Kept in memory only, for the driver, while the ride runs.
        leg.details = {
            "pickup": confirmation.pickup.address_text,
            "drop_off": confirmation.drop_off.address_text,
            "language": confirmation.language,
            "contact_token": confirmation.contact_token,
        }
        self.say(f"confirmed {confirmation.booking_id} {confirmation.leg_id}: details received")
        for status in PROGRESS:
            self.update(confirmation.booking_id, confirmation.leg_id, leg, status,
                        eta_at=int(time.time() * 1000) + 600_000)
            if status == self.hold_at:
                self.say(f"holding {confirmation.booking_id} {confirmation.leg_id} at {status_name(status)}")
                return
        leg.details = None  # the ride is over: nothing is kept
        leg.done = True

    def cancellation(self, cancellation):
        leg = self.legs.setdefault((cancellation.booking_id, cancellation.leg_id), Leg())
        leg.done = True
        forgot = ""
        if cancellation.forget_ride_details:
            leg.details = None
            forgot = ", details deleted"
        late = " (late)" if cancellation.late_cancellation else ""
        self.say(f"cancelled {cancellation.booking_id} {cancellation.leg_id}{late}{forgot}")

    def update(self, booking_id, leg_id, leg, status, reason=0, eta_at=0):
        leg.sequence += 1
        update = partner_pb2.PartnerRideUpdate(
            event_id=str(uuid.uuid4()),
            occurred_at=int(time.time() * 1000),
            partner_id=self.partner_id,
            booking_id=booking_id,
            leg_id=leg_id,
            partner_ride_id=f"{self.partner_id}-{booking_id}-{leg_id}",
            status=status,
            sequence=leg.sequence,
            eta_at=eta_at,
            reason=reason,
        )
        self.producer.produce(self.updates_topic, key=booking_id.encode(), value=update.SerializeToString())
        self.say(f"update {booking_id} {leg_id}: {status_name(status)} (sequence {leg.sequence})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--partner", required=True, help="partner id, as in TrialTransit's partner file")
    parser.add_argument("--topic-prefix", default="")
    parser.add_argument("--policy", choices=["accept", "reject", "lapse"], default="accept")
    parser.add_argument("--hold-at", choices=sorted(HOLD_AT), default=None)
    parser.add_argument("--group", default=None, help="consumer group (default partner-<id>)")
    args = parser.parse_args()
    partner = ReferencePartner(
        args.brokers, args.partner, prefix=args.topic_prefix, policy=args.policy,
        hold_at=HOLD_AT.get(args.hold_at), group=args.group,
        say=lambda line: print(f"[{args.partner}] {line}", flush=True))

    def stop(*_):
        partner.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    partner.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
