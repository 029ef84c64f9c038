#!/usr/bin/env python3
"""The Python reference partner (samples/reference-partner) against the real workers.

Starts `trialtransit run` (both workers, a fresh SQLite store, a partner file of three Python
partners under a unique topic prefix) and three reference partner processes, then drives one
patient journey per partner behaviour through the contract's topics only:

  accept    py-accept takes the ride: offer, confirmation, driver assigned ... completed.
  decline   py-decline (preferred) rejects; the leg falls back to py-accept, which completes it.
            py-decline's topic never carries an address or a contact token.
  cancel    py-hold accepts and holds at driver assigned; the visit is cancelled; the partner is
            told to forget the details and the booking shows the ride cancelled.

Environment: TRIALTRANSIT_BROKERS (required), TRIALTRANSIT_BIN. Python code of protos/ in
Tests/Conformance/gen (Tests/Conformance/run makes it). Prints `PASS name` / `FAIL name: why`;
the last line is `N passed, M failed`; exit 1 when a check failed. Every wait is bounded.
"""

import json
import os
import queue
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "gen"))

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition  # noqa: E402

from trialtransit.v1 import (  # noqa: E402
    common_pb2, enrollment_pb2, partner_pb2, transport_booking_pb2, travel_pb2, trial_access_pb2)

READY_TIMEOUT = 120
JOURNEY_TIMEOUT = int(os.environ.get("CONFORMANCE_JOURNEY_TIMEOUT", "120"))
TRIAL = "NCT09900105"  # samples/catalog.json: sites around Boston
SITE = "us-bos-01"
PARTNERS = {  # id -> (priority, reference partner arguments)
    "py-accept": (1, ["--policy", "accept"]),
    "py-decline": (2, ["--policy", "reject"]),
    "py-hold": (3, ["--policy", "accept", "--hold-at", "driver-assigned"]),
}
RESULTS = []


def check(name, ok, why=""):
    RESULTS.append(ok)
    print(f"PASS {name}" if ok else f"FAIL {name}: {why}", flush=True)


def catalog_file(path):
    """samples/catalog.json's Boston trial with room for every journey at its Boston site."""
    with open(os.path.join(REPO, "samples/catalog.json")) as f:
        catalog = json.load(f)
    trials = [t for t in catalog["trials"] if (t.get("trial_id") or t.get("trialId")) == TRIAL]
    for site in trials[0]["sites"]:
        key = "screening_capacity" if "screening_capacity" in site else "screeningCapacity"
        site[key] = 10
    catalog["trials"] = trials
    with open(path, "w") as f:
        json.dump(catalog, f)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def partner_file(path):
    partners = []
    for partner_id, (priority, _) in PARTNERS.items():
        partners.append({
            "id": partner_id, "name": partner_id, "priority": priority,
            "service_area": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 120},
            "capabilities": {"mobility": ["ambulatory"], "companion_seats": 3},
            "minimum_lead_time_minutes": 60, "free_cancellation_minutes": 60, "response_timeout_seconds": 300,
        })
    with open(path, "w") as f:
        json.dump({"version": 1, "partners": partners}, f)


class Lines:
    """A process's output lines, read on a thread, kept for waits and for failure reports."""

    def __init__(self, process, name):
        self.lines = []
        self.queue = queue.Queue()
        self.name = name

        def pump():
            for line in process.stdout:
                self.lines.append(line.rstrip("\n"))
                self.queue.put(line)
        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, text, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return True
            time.sleep(0.05)
        raise TimeoutError(f"{self.name}: no line with {text!r} within {timeout}s; saw {self.lines[-10:]}")


def wait_ready(port, process):
    deadline = time.monotonic() + READY_TIMEOUT
    last = "nothing"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"trialtransit run exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except Exception as error:  # not up yet
            last = str(error)
        time.sleep(0.2)
    raise TimeoutError(f"/readyz not 200 within {READY_TIMEOUT}s (last: {last})")


class Journey:
    def __init__(self, producer, prefix, label, now):
        self.producer = producer
        self.prefix = prefix
        self.patient = f"pt-{label}-{secrets.token_hex(4)}"
        self.label = label
        self.now = now
        self.visit_id = f"visit-{self.patient}"

    def envelope(self, what, **body):
        event = enrollment_pb2.EnrollmentEvent(
            event_id=f"evt-{self.patient}-{what}", occurred_at=self.now, source="conformance",
            patient_ref=self.patient, **body)
        return event

    def publish(self, topic, message):
        self.producer.produce(self.prefix + topic, key=self.patient.encode(), value=message.SerializeToString())
        self.producer.flush(30)

    def start(self, access, preferred=""):
        """Referral, consents and a visit; the travel request once trial access planned the visit
        (trial access refuses travel for a patient it does not know yet: the topics are not ordered
        with each other)."""
        referred = enrollment_pb2.PatientReferred(
            referral_id=f"ref-{self.patient}", trial_id=TRIAL, condition_code="C50.9", stage="IIB", age_years=52,
            ecog=0, home_location=common_pb2.GeoPoint(latitude=42.36, longitude=-71.06), max_travel_km=80,
            mobility=common_pb2.MOBILITY_AMBULATORY, language="en",
            biomarkers=[common_pb2.BiomarkerResult(code=c, value=0, unit="bool") for c in ("ER", "PR", "HER2")],
            consents=[common_pb2.Consent(scope=common_pb2.CONSENT_SCOPE_CONTACT, version="v3", granted_at=self.now)])
        self.publish("enrollment.events.v1", self.envelope("referral", patient_referred=referred))
        for scope in (common_pb2.CONSENT_SCOPE_PARTICIPATION, common_pb2.CONSENT_SCOPE_TRANSPORT):
            consent = common_pb2.Consent(scope=scope, version="v3", granted_at=self.now, trial_id=TRIAL)
            self.publish("enrollment.events.v1",
                         self.envelope(f"consent-{scope}", consent_recorded=enrollment_pb2.ConsentRecorded(consent=consent)))
        at = self.now + 3 * 86_400_000
        visit = enrollment_pb2.Visit(
            visit_id=self.visit_id, trial_id=TRIAL, site_id=SITE, visit_code="SCREENING", scheduled_at=at,
            protocol_window=common_pb2.TimeWindow(start_at=at - 86_400_000, end_at=at + 86_400_000),
            duration_minutes=90)
        self.publish("enrollment.events.v1", self.envelope("visit", visit_scheduled=enrollment_pb2.VisitScheduled(visit=visit)))
        access.wait(lambda records: self.visit_planned(records), JOURNEY_TIMEOUT, f"{self.label}'s VisitPlanned")
        request = travel_pb2.TravelAssistanceRequested(
            request_id=f"travel-{self.patient}", trial_id=TRIAL,
            pickup=common_pb2.Location(point=common_pb2.GeoPoint(latitude=42.36, longitude=-71.06),
                                       address_text=f"1 Conformance St {self.label}"),
            mobility=common_pb2.MOBILITY_AMBULATORY, companions=1, language="en",
            contact_token=f"tok-{self.patient}", preferred_partner_id=preferred)
        self.publish("travel.requests.v1", travel_pb2.TravelEvent(
            event_id=f"evt-{self.patient}-travel", occurred_at=self.now, source="conformance",
            patient_ref=self.patient, travel_assistance_requested=request))

    def visit_planned(self, records):
        for record in records:
            event = trial_access_pb2.TrialAccessEvent()
            event.ParseFromString(record.value())
            if event.patient_ref == self.patient and event.WhichOneof("body") == "visit_planned":
                return True
        return False

    def cancel_visit(self):
        cancelled = enrollment_pb2.VisitCancelled(
            visit_id=self.visit_id, trial_id=TRIAL, cancelled_by=common_pb2.CANCELLATION_ACTOR_COORDINATOR,
            reason_code="CONFORMANCE")
        self.publish("enrollment.events.v1", self.envelope("visit-cancelled", visit_cancelled=cancelled))


class TopicReader:
    """Reads a topic from the beginning, all partitions, into a list of records."""

    def __init__(self, brokers, topic):
        self.consumer = Consumer({"bootstrap.servers": brokers, "group.id": f"conformance-{secrets.token_hex(4)}",
                                  "enable.auto.commit": False})
        metadata = self.consumer.list_topics(topic, timeout=30)
        partitions = metadata.topics[topic].partitions
        self.consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        self.records = []

    def wait(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for record in self.consumer.consume(500, 0.2):
                if not record.error():
                    self.records.append(record)
            if condition(self.records):
                return self.records
        raise TimeoutError(f"{what} not seen within {timeout}s; read {len(self.records)} records")

    def close(self):
        self.consumer.close()


def booking_events(records, patient):
    events = []
    for record in records:
        event = transport_booking_pb2.BookingEvent()
        event.ParseFromString(record.value())
        if event.patient_ref == patient:
            events.append(event)
    return events


def statuses(events):
    return [(e.ride_status_changed.partner_id, e.ride_status_changed.status)
            for e in events if e.WhichOneof("body") == "ride_status_changed"]


def commands(records):
    out = []
    for record in records:
        command = partner_pb2.PartnerRideCommand()
        command.ParseFromString(record.value())
        out.append(command)
    return out


def main():
    brokers = os.environ["TRIALTRANSIT_BROKERS"]
    binary = os.environ.get("TRIALTRANSIT_BIN", os.path.join(REPO, ".build/debug/trialtransit"))
    prefix = f"conf-partners-{secrets.token_hex(4)}."
    work = tempfile.mkdtemp(prefix="trialtransit-partners-")
    partners_path = os.path.join(work, "partners.json")
    partner_file(partners_path)
    catalog_path = os.path.join(work, "catalog.json")
    catalog_file(catalog_path)
    port = free_port()
    env = dict(os.environ, TRIALTRANSIT_BROKERS=brokers, PYTHONPATH=os.path.join(HERE, "gen"))
    processes = []
    run_lines = None
    try:
        run = subprocess.Popen(
            [binary, "run", "--local-broker", "--topic-prefix", prefix, "--partners", partners_path, "--catalog", catalog_path,
             "--store", f"sqlite:{work}/store.sqlite", "--http-port", str(port)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        processes.append(run)
        run_lines = Lines(run, "run")
        wait_ready(port, run)
        partner_lines = {}
        for partner_id, (_, arguments) in PARTNERS.items():
            process = subprocess.Popen(
                [sys.executable, os.path.join(REPO, "samples/reference-partner/reference_partner.py"),
                 "--brokers", brokers, "--partner", partner_id, "--topic-prefix", prefix] + arguments,
                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            processes.append(process)
            partner_lines[partner_id] = Lines(process, partner_id)
        for lines in partner_lines.values():
            lines.wait_for("reading ", READY_TIMEOUT)

        producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random", "linger.ms": 0})
        now = int(time.time() * 1000)
        accept, decline, hold = (Journey(producer, prefix, label, now) for label in ("accept", "decline", "cancel"))
        access = TopicReader(brokers, prefix + "trial.access.events.v1")
        accept.start(access)
        decline.start(access, preferred="py-decline")
        hold.start(access, preferred="py-hold")
        access.close()

        bookings = TopicReader(brokers, prefix + "transport.booking.events.v1")
        completed = (common_pb2.RIDE_STATUS_COMPLETED)
        try:
            bookings.wait(lambda r: ("py-accept", completed) in statuses(booking_events(r, accept.patient)),
                          JOURNEY_TIMEOUT, "the accept journey's COMPLETED")
            got = [s for p, s in statuses(booking_events(bookings.records, accept.patient))]
            check("accept: offer, confirmation, driver assigned .. completed",
                  got[-4:] == [common_pb2.RIDE_STATUS_DRIVER_ASSIGNED, common_pb2.RIDE_STATUS_ARRIVING,
                               common_pb2.RIDE_STATUS_PICKED_UP, completed], f"statuses {got}")
        except TimeoutError as error:
            check("accept: offer, confirmation, driver assigned .. completed", False, str(error))

        try:
            bookings.wait(lambda r: ("py-accept", completed) in statuses(booking_events(r, decline.patient)),
                          JOURNEY_TIMEOUT, "the decline journey's fallback COMPLETED")
            offered = [e.ride_offered.partner_id for e in booking_events(bookings.records, decline.patient)
                       if e.WhichOneof("body") == "ride_offered"]
            check("decline: the preferred partner rejects, the next one completes",
                  offered[:2] == ["py-decline", "py-accept"], f"offered to {offered}")
        except TimeoutError as error:
            check("decline: the preferred partner rejects, the next one completes", False, str(error))
        declined = TopicReader(brokers, prefix + "transport.partner.py-decline.requests.v1")
        try:
            declined.wait(lambda r: len(r) >= 1, 30, "py-decline's offer")
            kinds = [c.WhichOneof("body") for c in commands(declined.records)]
            leaked = [c for c in commands(declined.records)
                      if c.WhichOneof("body") == "ride_confirmation"
                      or "Conformance St" in str(c) or "tok-" in str(c)]
            check("decline: the declining partner never receives an address or a contact token",
                  not leaked and "ride_offer" in kinds, f"commands {kinds}")
        except TimeoutError as error:
            check("decline: the declining partner never receives an address or a contact token", False, str(error))
        finally:
            declined.close()

        try:
            bookings.wait(lambda r: ("py-hold", common_pb2.RIDE_STATUS_DRIVER_ASSIGNED)
                          in statuses(booking_events(r, hold.patient)), JOURNEY_TIMEOUT, "py-hold's DRIVER_ASSIGNED")
            hold.cancel_visit()
            bookings.wait(lambda r: any(e.WhichOneof("body") == "ride_cancelled"
                                        for e in booking_events(r, hold.patient)),
                          JOURNEY_TIMEOUT, "the cancel journey's RideCancelled")
            partner_lines["py-hold"].wait_for("details deleted", 30)
            check("cancel: a cancelled visit cancels the running ride and the partner deletes the details", True)
        except TimeoutError as error:
            check("cancel: a cancelled visit cancels the running ride and the partner deletes the details", False,
                  str(error))
        bookings.close()

        logs = "\n".join(run_lines.lines + [line for lines in partner_lines.values() for line in lines.lines])
        check("no address or contact token in the workers' or partners' output",
              "Conformance St" not in logs and "tok-pt-" not in logs, "found in the output")
    except Exception as error:  # setup failed: report it as a failure with what was seen
        check("partner journeys set up", False, f"{type(error).__name__}: {error}")
    finally:
        if run_lines and not all(RESULTS):
            print("last lines of `trialtransit run`:\n  " + "\n  ".join(run_lines.lines[-15:]))
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    passed = sum(RESULTS)
    print(f"{passed} passed, {len(RESULTS) - passed} failed")
    return 0 if RESULTS and all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
