#!/usr/bin/env python3
"""Webhook partners (Tests/Conformance/webhook_partner.py, standard library only) through
`trialtransit partner-gateway` against the real workers (`trialtransit run`).

Three webhook partners in one partner file, under a unique topic prefix, each serving HTTPS with a
server certificate from a throwaway CA (made with `openssl` in a temporary directory at the start),
which the gateway trusts through --webhook-ca-file:

  wh-accept    up from the start: its signed offer arrives and verifies, its signed updates
               complete the ride; updates with a bad signature, a stale timestamp or a status a
               partner may not send are refused with a 4xx and never published; a well-formed
               update for a booking that does not exist is accepted (202), rejected by the
               transport worker, and the rejection (InputFeedback) reaches the partner's webhook.
  wh-late      down when its offer is sent, for CONFORMANCE_WEBHOOK_DOWN_SECONDS (default 60: "a
               minute") and at least until the gateway has retried twice with
               backoff, been stopped mid-retry and restarted, and retried twice again; then up: it
               receives the offer (same delivery id, attempt >= 3) and completes the ride.
  wh-wrongkey  its secret differs from the gateway's: it refuses the offer (401), which the gateway
               dead-letters with dlq-* headers (WEBHOOK_REFUSED).

Nothing is doubled: each partner receives each delivery id once, each ride status is applied once,
every update answered 202 is on the updates topic exactly once, and the gateway's delivery log
(its SQLite store, state table) holds one settled entry per command.

Environment: TRIALTRANSIT_BROKERS (required), TRIALTRANSIT_BIN, CONFORMANCE_WEBHOOK_DOWN_SECONDS.
Prints `PASS name` / `FAIL name: why`; the last line is `N passed, M failed`; exit 1 on a failure.
"""

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import partner_journeys as pj  # noqa: E402  (shares the journeys' set-up and readers)
from webhook_partner import WebhookPartner  # noqa: E402
from trialtransit.v1 import common_pb2  # noqa: E402
from trialtransit.store.v1 import delivery_log_pb2  # noqa: E402

DOWN_SECONDS = float(os.environ.get("CONFORMANCE_WEBHOOK_DOWN_SECONDS", "60"))
PARTNERS = ["wh-accept", "wh-late", "wh-wrongkey"]
RESULTS = []


def check(name, ok, why=""):
    RESULTS.append(ok)
    print(f"PASS {name}" if ok else f"FAIL {name}: {why}", flush=True)


def partner_file(path, ports, work):
    """The partner file with a webhook section per partner, and the gateway's secret files."""
    partners = []
    for priority, partner_id in enumerate(PARTNERS, start=1):
        secret_file = os.path.join(work, f"{partner_id}.secret")
        partners.append({
            "id": partner_id, "name": partner_id, "priority": priority,
            "service_area": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 120},
            "capabilities": {"mobility": ["ambulatory"], "companion_seats": 3},
            "minimum_lead_time_minutes": 60, "free_cancellation_minutes": 60,
            # Longer than the outage: the offer must still be open when wh-late comes back.
            "response_timeout_seconds": int(DOWN_SECONDS) + 600,
            "webhook": {"url": f"https://127.0.0.1:{ports[partner_id]}/trialtransit/commands",
                        "key_id": f"{partner_id}-k1", "secret_file": os.path.basename(secret_file)},
        })
    with open(path, "w") as f:
        json.dump({"version": 1, "partners": partners}, f)


def throwaway_tls(work):
    """A CA and a server certificate for 127.0.0.1 signed by it, made with `openssl` in `work`:
    returns (CA file, certificate file, key file)."""
    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], check=True, capture_output=True)
    ca, ca_key = os.path.join(work, "ca.pem"), os.path.join(work, "ca.key")
    certificate, key, request = (os.path.join(work, name) for name in ("partner.pem", "partner.key", "partner.csr"))
    extensions = os.path.join(work, "partner.ext")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=TrialTransit conformance CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", ca_key, "-out", ca)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=webhook partner", "-keyout", key, "-out", request)
    with open(extensions, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", "1",
            "-extfile", extensions, "-out", certificate)
    return ca, certificate, key


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} not seen within {timeout}s")


def wait_http(url, process, timeout=pj.READY_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"partner-gateway exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except Exception:  # not up yet
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not answering within {timeout}s")


def delivery_log(path):
    """partner id -> list of delivery log entries ({"command", "state"}), read from the gateway's
    SQLite store, where each is a trialtransit.store.v1.StoredDelivery (docs/STORES.md)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
        rows = db.execute("SELECT namespace, value FROM state WHERE namespace LIKE 'partner-gateway.deliveries.%'").fetchall()
    log = {}
    for namespace, value in rows:
        entry = delivery_log_pb2.StoredDelivery.FromString(bytes(value))
        log.setdefault(namespace.rsplit(".", 1)[-1], []).append({"command": entry.command, "state": entry.state})
    return log


def headers_of(record):
    return {name: (value or b"").decode() for name, value in (record.headers() or [])}


def ride_completed(bookings, journey, partner_id):
    return (partner_id, common_pb2.RIDE_STATUS_COMPLETED) in pj.statuses(pj.booking_events(bookings.records, journey.patient))


def applied_once(bookings, journey, partner_id):
    """The ride's progress as RideStatusChanged events (ACCEPTED shows as RideConfirmed): each once, in order."""
    events = pj.booking_events(bookings.records, journey.patient)
    got = [s for p, s in pj.statuses(events) if p == partner_id]
    confirmed = [e for e in events if e.WhichOneof("body") == "ride_confirmed"]
    wanted = [common_pb2.RIDE_STATUS_DRIVER_ASSIGNED, common_pb2.RIDE_STATUS_ARRIVING, common_pb2.RIDE_STATUS_PICKED_UP,
              common_pb2.RIDE_STATUS_COMPLETED]
    return got == wanted and len(confirmed) == 1, f"{got}, {len(confirmed)} RideConfirmed"


def refused_updates(partner, booking_id, leg_id):
    """Posts four bad updates; returns [(name, expected status and code, got status, answer, event id)]."""
    def update(**overrides):
        base = {"eventId": f"bad-{secrets.token_hex(6)}", "occurredAt": str(int(time.time() * 1000)),
                "partnerId": partner.partner_id, "bookingId": booking_id, "legId": leg_id,
                "status": "RIDE_STATUS_COMPLETED", "sequence": "99"}
        base.update(overrides)
        return base
    cases = [
        ("bad signature", (401, "BAD_SIGNATURE"), update(), {"secret": b"x" * 40}),
        ("stale timestamp", (401, "STALE_TIMESTAMP"), update(), {"timestamp": int(time.time()) - 3600}),
        ("status a partner may not send", (422, "STATUS_NOT_ALLOWED"), update(status="RIDE_STATUS_OFFERED"), {}),
        ("another partner's id", (422, "PARTNER_MISMATCH"), update(partnerId="wh-late"), {}),
    ]
    out = []
    for name, expected, body, signing in cases:
        status, answer = partner.post_update(body, **signing)
        out.append((name, expected, status, answer, body["eventId"]))
    return out


def egress_proxy(work):
    """A real HTTP proxy (tinyproxy, installed by scripts/bootstrap) on 127.0.0.1 that logs every
    CONNECT; returns (process, port, log path)."""
    tinyproxy = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
    if not os.access(tinyproxy, os.X_OK):
        raise RuntimeError("tinyproxy is not installed: run scripts/bootstrap")
    port, log = pj.free_port(), os.path.join(work, "proxy.log")
    config = os.path.join(work, "proxy.conf")
    with open(config, "w") as f:
        f.write(f'Port {port}\nListen 127.0.0.1\nTimeout 60\nMaxClients 50\nAllow 127.0.0.1\n'
                f'LogFile "{log}"\nLogLevel Connect\nPidFile "{work}/proxy.pid"\n')
    process = subprocess.Popen([tinyproxy, "-d", "-c", config], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port, log
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"tinyproxy did not listen on 127.0.0.1:{port}")
            time.sleep(0.1)


def main():
    brokers = os.environ["TRIALTRANSIT_BROKERS"]
    binary = os.environ.get("TRIALTRANSIT_BIN", os.path.join(pj.REPO, ".build/debug/trialtransit"))
    prefix = f"conf-webhook-{secrets.token_hex(4)}."
    work = tempfile.mkdtemp(prefix="trialtransit-webhook-")
    ports = {partner_id: pj.free_port() for partner_id in PARTNERS}
    partners_path = os.path.join(work, "partners.json")
    partner_file(partners_path, ports, work)
    ca_file, certificate_file, key_file = throwaway_tls(work)
    gateway_secrets = {p: secrets.token_hex(32).encode() for p in PARTNERS}
    for partner_id, secret in gateway_secrets.items():
        with open(os.path.join(work, f"{partner_id}.secret"), "wb") as f:
            f.write(secret + b"\n")
    catalog_path = os.path.join(work, "catalog.json")
    pj.catalog_file(catalog_path)
    run_port, gateway_port, gateway_probe_port = pj.free_port(), pj.free_port(), pj.free_port()
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    gateway_store = os.path.join(work, "gateway.sqlite")
    env = dict(os.environ, TRIALTRANSIT_BROKERS=brokers)
    processes, webhook_partners = [], {}
    run_lines = gateway_lines = None
    try:
        run = subprocess.Popen(
            [binary, "run", "--local-broker", "--topic-prefix", prefix, "--partners", partners_path, "--catalog", catalog_path,
             "--store", f"sqlite:{work}/store.sqlite", "--http-port", str(run_port)],
            cwd=pj.REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        processes.append(run)
        run_lines = pj.Lines(run, "run")
        pj.wait_ready(run_port, run)
        # Retries from 200 ms doubling to 2 s: the outage below is spanned by many attempts.
        gateway_command = [
            binary, "partner-gateway", "--local-broker", "--topic-prefix", prefix, "--partners", partners_path,
            "--store", f"sqlite:{gateway_store}", "--listen-host", "127.0.0.1", "--listen-port", str(gateway_port),
            "--http-port", str(gateway_probe_port), "--retry-initial-ms", "200", "--retry-max-ms", "2000", "--max-attempts", "1000",
            "--retry-budget", str(int(DOWN_SECONDS) + 600), "--webhook-ca-file", ca_file]

        def start_gateway(label, gateway_env=env):
            process = subprocess.Popen(gateway_command, cwd=pj.REPO, env=gateway_env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
            processes.append(process)
            lines = pj.Lines(process, label)
            wait_http(f"{gateway_url}/healthz", process)
            # Ready: every partner's forwarder joined its consumer group, broker and delivery log answer.
            wait_http(f"http://127.0.0.1:{gateway_probe_port}/readyz", process)
            return process, lines

        gateway, gateway_lines = start_gateway("partner-gateway")

        for partner_id in PARTNERS:
            # wh-wrongkey holds another secret than the gateway's: its webhook refuses the gateway.
            secret = secrets.token_hex(32).encode() if partner_id == "wh-wrongkey" else gateway_secrets[partner_id]
            webhook_partners[partner_id] = WebhookPartner(
                partner_id, f"{partner_id}-k1", secret, ports[partner_id], gateway_url,
                say=lambda line, p=partner_id: print(f"  [{p}] {line}", flush=True), tls=(certificate_file, key_file))
        webhook_partners["wh-accept"].start()
        webhook_partners["wh-wrongkey"].start()

        from confluent_kafka import Producer
        producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random", "linger.ms": 0})
        now = int(time.time() * 1000)
        accept, late, wrong = (pj.Journey(producer, prefix, label, now) for label in ("wh-accept", "wh-late", "wh-wrongkey"))
        access = pj.TopicReader(brokers, prefix + "trial.access.events.v1")
        accept.start(access, preferred="wh-accept")
        late_started = time.monotonic()
        late.start(access, preferred="wh-late")
        wrong.start(access, preferred="wh-wrongkey")
        access.close()
        bookings = pj.TopicReader(brokers, prefix + "transport.booking.events.v1")

        name = "signed offer arrives and verifies; signed updates complete the ride, each status once"
        try:
            bookings.wait(lambda r: ride_completed(bookings, accept, "wh-accept"), pj.JOURNEY_TIMEOUT, "wh-accept's COMPLETED")
            once, got = applied_once(bookings, accept, "wh-accept")
            kinds = [k for c in webhook_partners["wh-accept"].deliveries.values()
                     for k in ("rideOffer", "rideConfirmation", "rideCancellation") if k in c]
            check(name, once and "rideOffer" in kinds and "rideConfirmation" in kinds, f"statuses {got}, commands {kinds}")
        except TimeoutError as error:
            check(name, False, str(error))

        booking_id = next((c["rideOffer"]["bookingId"] for c in webhook_partners["wh-accept"].deliveries.values()
                           if "rideOffer" in c), "bk-unknown")
        bad = refused_updates(webhook_partners["wh-accept"], booking_id, "outbound-1")
        for case, (status, code), got_status, answer, _ in bad:
            check(f"inbound: an update with {case} is refused ({status} {code})",
                  got_status == status and json.loads(answer or "{}").get("code") == code, f"HTTP {got_status} {answer}")

        name = "feedback: an update the transport worker rejects comes back to the partner's webhook (UNKNOWN_REFERENCE)"
        partner = webhook_partners["wh-accept"]
        unknown = {"eventId": f"unknown-{secrets.token_hex(6)}", "occurredAt": str(int(time.time() * 1000)),
                   "partnerId": "wh-accept", "bookingId": f"bk-unknown-{secrets.token_hex(6)}", "legId": "outbound-1",
                   "status": "RIDE_STATUS_DRIVER_ASSIGNED", "sequence": "1"}
        status, answer = partner.post_update(unknown)
        try:
            def rejection():
                with partner.lock:
                    wanted = f"partner/wh-accept/{unknown['eventId']}"  # the worker's input id of a partner's update
                    return next((r for r in partner.rejections if r.get("inputEventId") == wanted), None)
            wait_for(lambda: rejection() is not None, 60, "the rejection of the update for an unknown booking")
            check(name, status == 202 and rejection().get("reasonCode") == "UNKNOWN_REFERENCE", f"HTTP {status} {answer}, {rejection()}")
        except TimeoutError as error:
            check(name, False, f"HTTP {status} {answer}: {error}")

        name = (f"a partner down for {DOWN_SECONDS:g} s receives everything afterwards, through backoff retries "
                "and a gateway restart, under one delivery id")
        first_gateway_lines = gateway_lines
        try:
            def retried(lines, attempt):
                found = [line for line in lines.lines
                         if "partner=wh-late" in line and f"delivery attempt {attempt} failed" in line]
                return found[0].split("delivery=")[1].split()[0] if found else None
            wait_for(lambda: retried(gateway_lines, 2), 120, "two failed attempts for wh-late")
            # Stopped mid-retry, the gateway has not committed the offer: the next one sends it again.
            gateway.terminate()
            gateway.wait(60)
            # Restarted behind an egress proxy (TRIALTRANSIT_WEBHOOK_PROXY): its POSTs are CONNECT tunnels.
            proxy, proxy_port, proxy_log = egress_proxy(work)
            processes.append(proxy)
            gateway, gateway_lines = start_gateway(
                "partner-gateway (restarted)", dict(env, TRIALTRANSIT_WEBHOOK_PROXY=f"http://127.0.0.1:{proxy_port}"))
            wait_for(lambda: retried(gateway_lines, 2), 120, "two failed attempts for wh-late after the restart")
            wait_for(lambda: time.monotonic() - late_started >= DOWN_SECONDS, DOWN_SECONDS + 5, "the outage's end")
            webhook_partners["wh-late"].start()
            bookings.wait(lambda r: ride_completed(bookings, late, "wh-late"), pj.JOURNEY_TIMEOUT + DOWN_SECONDS,
                          "wh-late's COMPLETED")
            once, got = applied_once(bookings, late, "wh-late")
            first = webhook_partners["wh-late"].attempts[:1]
            same_id = retried(first_gateway_lines, 2) == retried(gateway_lines, 2) == (first[0][0] if first else "")
            check(name, once and first and first[0][1] >= 3 and same_id,
                  f"statuses {got}, first delivery (id, attempt) {first}, same delivery id before and after: {same_id}")
            name = "egress proxy: the restarted gateway's POSTs to wh-late went through it as CONNECT tunnels"
            with open(proxy_log) as f:
                tunnels = [line for line in f if f"CONNECT 127.0.0.1:{ports['wh-late']} " in line]
            banner = any(f"webhooks through proxy http://127.0.0.1:{proxy_port}" in line for line in gateway_lines.lines)
            check(name, len(tunnels) >= 1 and banner, f"{len(tunnels)} CONNECT lines, banner names the proxy: {banner}")
        except TimeoutError as error:
            check(name, False, str(error))

        name = "outbound: a partner refusing the signature (401) gets the offer dead-lettered with dlq-* headers"
        dlq = pj.TopicReader(brokers, prefix + "trialtransit.dlq.v1")
        wrong_topic = prefix + "transport.partner.wh-wrongkey.requests.v1"
        try:
            dlq.wait(lambda r: any(headers_of(x).get("dlq-source-topic") == wrong_topic for x in r), 60, "the dead letter")
            letters = [headers_of(x) for x in dlq.records if headers_of(x).get("dlq-source-topic") == wrong_topic]
            check(name, len(letters) == 1 and letters[0].get("dlq-error-code") == "WEBHOOK_REFUSED"
                  and "bad signature" in webhook_partners["wh-wrongkey"].refused
                  and not webhook_partners["wh-wrongkey"].deliveries,
                  f"dead letters {letters}, refusals {webhook_partners['wh-wrongkey'].refused}")
        except TimeoutError as error:
            check(name, False, str(error))
        finally:
            dlq.close()

        name = "nothing doubled: one delivery per id, every 202 update on the topic once, refused ones never"
        updates = pj.TopicReader(brokers, prefix + "transport.partner.wh-accept.updates.v1")
        accepted = [u["eventId"] for u, status, _ in webhook_partners["wh-accept"].answers if status == 202]
        try:
            records = updates.wait(lambda r: len(r) >= len(accepted), 30, "wh-accept's published updates")
            from trialtransit.v1 import partner_pb2
            published = []
            for record in records:
                update = partner_pb2.PartnerRideUpdate()
                update.ParseFromString(record.value())
                published.append(update.event_id)
            refused_ids = {event_id for *_, event_id in bad}
            duplicates = {p: w.duplicates for p, w in webhook_partners.items() if w.duplicates}
            check(name, sorted(published) == sorted(accepted) and not refused_ids & set(published) and not duplicates,
                  f"published {len(published)}, accepted {len(accepted)}, duplicates {duplicates}")
        except TimeoutError as error:
            check(name, False, str(error))
        finally:
            updates.close()

        name = "delivery log: one settled entry per command, per partner"
        log = delivery_log(gateway_store)
        summary = {p: sorted((e["command"], e["state"]) for e in entries) for p, entries in log.items()}
        received = {p: len(w.deliveries) for p, w in webhook_partners.items()}
        check(name, all(len(log.get(p, [])) == received[p] for p in ("wh-accept", "wh-late"))
              and all(e["state"] == "delivered" for p in ("wh-accept", "wh-late") for e in log.get(p, []))
              and [e["state"] for e in log.get("wh-wrongkey", [])] == ["dead-lettered"],
              f"log {summary}, received {received}")
        bookings.close()

        name = "gateway metrics count deliveries and retries per partner"
        with urllib.request.urlopen(f"http://127.0.0.1:{gateway_probe_port}/metrics", timeout=10) as answer:
            metrics = [line for line in answer.read().decode().splitlines() if "partner_gateway" in line]

        def counted(metric, *labels):
            return any(line.startswith(metric + "{") and all(label in line for label in labels)
                       and float(line.rsplit(" ", 1)[1]) >= 1 for line in metrics)
        # The restarted gateway retried wh-late's offer, then delivered it and the confirmation.
        check(name, counted("trialtransit_partner_gateway_deliveries_total", 'partner="wh-late"', 'outcome="delivered"')
              and counted("trialtransit_partner_gateway_delivery_retries_total", 'partner="wh-late"'),
              "\n".join(metrics) or "no gateway metrics")

        output = "\n".join(run_lines.lines + first_gateway_lines.lines + gateway_lines.lines)
        check("no address or contact token in the workers' or the gateway's output",
              "Conformance St" not in output and "tok-pt-" not in output, "found in the output")
    except Exception as error:  # set-up failed: report it with what was seen
        check("webhook journeys set up", False, f"{type(error).__name__}: {error}")
    finally:
        if not all(RESULTS):
            for lines in (run_lines, gateway_lines):
                if lines:
                    print(f"last lines of {lines.name}:\n  " + "\n  ".join(lines.lines[-20:]))
        for partner in webhook_partners.values():
            partner.stop()
        for process in reversed(processes):
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
