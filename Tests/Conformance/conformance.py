#!/usr/bin/env python3
"""Cross-language conformance: Python (protobuf + confluent-kafka) against the Swift side.

  (a) swift->python  `trialtransit conformance produce` writes every Swift fixture; Python decodes
                     each with the class its `type` header names and compares it with the Python
                     fixture, field by field.
  (b) python->swift  Python publishes every Python fixture; `trialtransit conformance verify`
                     decodes and compares them on the Swift side and must exit 0.
  (c) health         `trialtransit conformance serve-health` runs; Python calls Health/Check as a
                     foreign client with only the documented headers (docs/CONTRACT.md §4, §6).

Environment: TRIALTRANSIT_BROKERS (required), TRIALTRANSIT_BIN (default .build/debug/trialtransit).
The Python code generated from protos/ must be in Tests/Conformance/gen (Tests/Conformance/run does it).

Every check prints `PASS name` or `FAIL name: why`; the last line is `N passed, M failed`; the exit
status is 1 when a check failed. Every wait is bounded.
"""

import os
import queue
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "gen"))
sys.path.insert(0, HERE)

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402
from google.protobuf import descriptor as pb_descriptor  # noqa: E402
from google.protobuf import descriptor_pool, message_factory  # noqa: E402
from google.protobuf import unknown_fields as pb_unknown_fields  # noqa: E402

import fixtures  # noqa: E402
from trialtransit.v1 import health_pb2  # noqa: E402

# Bounds of every wait, in seconds.
SUBPROCESS_TIMEOUT = 90
CONSUME_TIMEOUT = 30
READY_TIMEOUT = 60
FIRST_CALL_BUDGET = 30
FIRST_CALL_ATTEMPT = 2
CALL_TIMEOUT = 10
SHUTDOWN_TIMEOUT = 10

HEALTH_SERVICE = "trialtransit.v1.Health"
CHECK_METHOD = "/trialtransit.v1.Health/Check"
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

# Fixtures that set every field of their message tree (the others leave fields out on purpose).
PARTIAL_FIXTURES = {"enrollment.unknown_enum_mobility", "enrollment.ecog_absent"}


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print(f"PASS {name}", flush=True)

    def fail(self, name, why):
        self.failed += 1
        why = " ".join(str(why).split())  # one line
        if len(why) > 2000:
            why = why[:2000] + "…"
        print(f"FAIL {name}: {why}", flush=True)

    def check(self, name, problems):
        """PASS when `problems` is empty, else FAIL with them joined."""
        if problems:
            self.fail(name, "; ".join(problems))
        else:
            self.ok(name)


def detail(text):
    """Prints a subprocess's output indented (context for a failure; not a check line)."""
    for line in (text or "").rstrip().splitlines():
        print(f"    | {line}", flush=True)


def now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------------------------
# Message comparison


def message_class(full_name):
    """The generated Python class of a proto full name, or None."""
    try:
        desc = descriptor_pool.Default().FindMessageTypeByName(full_name)
    except KeyError:
        return None
    return message_factory.GetMessageClass(desc)


def _is_map(field):
    return field.type == pb_descriptor.FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


def _join(path, name):
    return f"{path}.{name}" if path else name


def field_diff(expected, actual, path=""):
    """Paths of the fields whose value or presence differs, walking every field of the descriptor."""
    problems = []
    desc = expected.DESCRIPTOR
    if actual.DESCRIPTOR.full_name != desc.full_name:
        return [f"{path or '(root)'}: type {actual.DESCRIPTOR.full_name}, expected {desc.full_name}"]
    for oneof in desc.oneofs:
        want, got = expected.WhichOneof(oneof.name), actual.WhichOneof(oneof.name)
        if want != got:
            problems.append(f"{_join(path, oneof.name)}: case {got!r}, expected {want!r}")
    for field in desc.fields:
        p = _join(path, field.name)
        want, got = getattr(expected, field.name), getattr(actual, field.name)
        if field.label == pb_descriptor.FieldDescriptor.LABEL_REPEATED:
            if _is_map(field):
                value_field = field.message_type.fields_by_name["value"]
                for key in sorted(set(want.keys()) | set(got.keys()), key=repr):
                    kp = f"{p}[{key!r}]"
                    if key not in got:
                        problems.append(f"{kp}: missing")
                    elif key not in want:
                        problems.append(f"{kp}: unexpected entry {got[key]!r}")
                    elif value_field.type == pb_descriptor.FieldDescriptor.TYPE_MESSAGE:
                        problems += field_diff(want[key], got[key], kp)
                    elif want[key] != got[key]:
                        problems.append(f"{kp}: {got[key]!r}, expected {want[key]!r}")
            else:
                if len(want) != len(got):
                    problems.append(f"{p}: {len(got)} elements, expected {len(want)}")
                for i, (w, g) in enumerate(zip(want, got)):
                    if field.type == pb_descriptor.FieldDescriptor.TYPE_MESSAGE:
                        problems += field_diff(w, g, f"{p}[{i}]")
                    elif w != g:
                        problems.append(f"{p}[{i}]: {g!r}, expected {w!r}")
        elif field.type == pb_descriptor.FieldDescriptor.TYPE_MESSAGE:
            has_want, has_got = expected.HasField(field.name), actual.HasField(field.name)
            if has_want != has_got:
                problems.append(f"{p}: {'present' if has_got else 'absent'}, expected {'present' if has_want else 'absent'}")
            elif has_want:
                problems += field_diff(want, got, p)
        else:
            if field.has_presence:  # the `<field>_known` oneofs
                has_want, has_got = expected.HasField(field.name), actual.HasField(field.name)
                if has_want != has_got:
                    problems.append(
                        f"{p}: {'present' if has_got else 'absent'}, expected {'present' if has_want else 'absent'}"
                    )
                    continue
            if want != got:
                problems.append(f"{p}: {got!r}, expected {want!r}")
    unknown = len(pb_unknown_fields.UnknownFieldSet(actual))
    if unknown:
        problems.append(f"{path or '(root)'}: {unknown} unknown fields")
    return problems


def unset_fields(message, path=""):
    """Fields left at their default in a fixture (for the fixture coverage check)."""
    missing = []
    desc = message.DESCRIPTOR
    for field in desc.fields:
        p = _join(path, field.name)
        oneof = field.containing_oneof
        if oneof is not None and message.WhichOneof(oneof.name) not in (None, field.name):
            continue  # another case of the oneof is set
        if field.label == pb_descriptor.FieldDescriptor.LABEL_REPEATED:
            values = getattr(message, field.name)
            if len(values) == 0:
                missing.append(p)
            elif field.type == pb_descriptor.FieldDescriptor.TYPE_MESSAGE and not _is_map(field):
                for i, value in enumerate(values):
                    missing += unset_fields(value, f"{p}[{i}]")
        elif field.type == pb_descriptor.FieldDescriptor.TYPE_MESSAGE:
            if message.HasField(field.name):
                missing += unset_fields(getattr(message, field.name), p)
            else:
                missing.append(p)
        elif field.has_presence:
            if not message.HasField(field.name):
                missing.append(p)
        elif getattr(message, field.name) == field.default_value:
            missing.append(p)
    return missing


# ---------------------------------------------------------------------------------------------
# Kafka helpers


def kafka_base(brokers):
    return {"bootstrap.servers": brokers, "client.id": "trialtransit-conformance-py"}


def create_topics(brokers, names, partitions=1):
    admin = AdminClient(kafka_base(brokers))
    futures = admin.create_topics(
        [NewTopic(name, num_partitions=partitions, replication_factor=1) for name in names], operation_timeout=30
    )
    for name, future in futures.items():
        try:
            future.result(timeout=30)
        except Exception as error:  # an existing topic is fine
            if getattr(error.args[0], "code", lambda: None)() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise


def delete_topics(brokers, names):
    """Best effort: the test topics are unique per run."""
    try:
        admin = AdminClient(kafka_base(brokers))
        for future in admin.delete_topics(list(names), operation_timeout=10).values():
            try:
                future.result(timeout=10)
            except Exception:
                pass
    except Exception:
        pass


def new_producer(brokers):
    # docs/CONTRACT.md §2: every producer of a topic uses librdkafka's murmur2_random partitioner.
    config = kafka_base(brokers)
    config.update({"partitioner": "murmur2_random", "enable.idempotence": True, "linger.ms": 0})
    return Producer(config)


def new_consumer(brokers, topic):
    """A consumer reading partition 0 of `topic` from the beginning, outside any group's offsets."""
    config = kafka_base(brokers)
    config.update(
        {
            "group.id": f"trialtransit-conformance-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "fetch.wait.max.ms": 20,
        }
    )
    consumer = Consumer(config)
    consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    return consumer


def headers_of(record):
    """Header name -> decoded value (the last one of a name wins)."""
    result = {}
    for name, value in record.headers() or []:
        result[name] = None if value is None else value.decode("utf-8", "replace")
    return result


def consume(brokers, topic, count, timeout):
    """Up to `count` records of `topic` from the beginning, waiting at most `timeout` seconds."""
    consumer = new_consumer(brokers, topic)
    records = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < count and time.monotonic() < deadline:
            record = consumer.poll(0.2)
            if record is None:
                continue
            if record.error():
                if record.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise RuntimeError(f"consume {topic}: {record.error()}")
            records.append(record)
    finally:
        consumer.close()
    return records


def run_cli(binary, *args):
    """Runs the Swift CLI with a bounded time; returns (exit status or None on timeout, stdout, stderr)."""
    try:
        done = subprocess.run(
            [binary, *args], capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, cwd=REPO, check=False
        )
        return done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        err = expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        return None, out, err


# ---------------------------------------------------------------------------------------------
# Checks


def check_fixture_coverage(results, python_fixtures):
    for name, message in python_fixtures.items():
        if name in PARTIAL_FIXTURES:
            continue
        missing = unset_fields(message)
        if missing:
            results.fail(f"fixtures {name} sets every field", "left at default: " + ", ".join(missing))
    partial = python_fixtures["enrollment.ecog_absent"].patient_referred
    full = python_fixtures["enrollment.patient_referred"].patient_referred
    problems = []
    if not (full.HasField("ecog") and full.ecog == 0):
        problems.append("enrollment.patient_referred must carry ecog = 0, present")
    if partial.HasField("ecog"):
        problems.append("enrollment.ecog_absent must leave ecog unset")
    if python_fixtures["enrollment.unknown_enum_mobility"].patient_referred.mobility != fixtures.UNKNOWN_MOBILITY:
        problems.append("enrollment.unknown_enum_mobility must carry mobility 42")
    results.check(f"fixtures: {len(python_fixtures)} Python fixtures well formed (full ones set every field)", problems)


def check_swift_to_python(results, binary, brokers, run_id, python_fixtures, topics):
    topic = f"conformance.swift-to-python.{run_id}"
    topics.append(topic)
    status, out, err = run_cli(binary, "conformance", "produce", "--topic", topic)
    if status != 0:
        results.fail("swift->python produce", f"`trialtransit conformance produce` exited {status}")
        detail(out)
        detail(err)
        return
    results.ok(f"swift->python produce ({len(out.splitlines())} records reported)")

    records = consume(brokers, topic, len(python_fixtures), CONSUME_TIMEOUT)
    by_name = {}
    for record in records:
        name = headers_of(record).get("fixture")
        if name is None:
            results.fail("swift->python record headers", f"record at offset {record.offset()} has no `fixture` header")
            continue
        if name in by_name:
            results.fail(f"swift->python {name}", "fixture produced twice")
        by_name[name] = record

    identical = 0
    for name, expected in python_fixtures.items():
        check = f"swift->python {name}"
        record = by_name.get(name)
        if record is None:
            results.fail(check, f"no record from Swift within {CONSUME_TIMEOUT} s ({len(records)} records read)")
            continue
        headers = headers_of(record)
        problems = []
        type_name = headers.get("type")
        if type_name != expected.DESCRIPTOR.full_name:
            problems.append(f"type header {type_name!r}, expected {expected.DESCRIPTOR.full_name!r}")
        key = record.key()
        if key != name.encode():
            problems.append(f"key {key!r}, expected {name!r}")
        cls = message_class(type_name) if type_name else None
        if cls is None:
            results.fail(check, "; ".join(problems + [f"no Python class for type {type_name!r}"]))
            continue
        decoded = cls()
        try:
            decoded.ParseFromString(record.value() or b"")
        except Exception as error:
            results.fail(check, "; ".join(problems + [f"does not parse as {type_name}: {error}"]))
            continue
        if decoded != expected:
            problems.append("message != fixture")
        diffs = field_diff(expected, decoded)
        if decoded != expected and not diffs:
            problems.append("(no differing field found by the walk)")
        problems += [f"differs at {d}" for d in diffs]
        results.check(check, problems)
        if record.value() == expected.SerializeToString(deterministic=True):
            identical += 1
        by_name[name] = (record, decoded)

    for name in sorted(set(by_name) - set(python_fixtures)):
        results.fail(f"swift->python {name}", "Swift produced a fixture that Python does not define")

    # Explicit checks of presence and of an unknown enum number surviving.
    def decoded_of(name):
        entry = by_name.get(name)
        return entry[1] if isinstance(entry, tuple) else None

    unknown = decoded_of("enrollment.unknown_enum_mobility")
    if unknown is None:
        results.fail("swift->python unknown enum number 42 survives", "fixture not decoded")
    else:
        mobility = unknown.patient_referred.mobility
        results.check(
            "swift->python unknown enum number 42 survives",
            [] if mobility == fixtures.UNKNOWN_MOBILITY else [f"mobility is {mobility}, expected 42"],
        )
    referred = decoded_of("enrollment.patient_referred")
    absent = decoded_of("enrollment.ecog_absent")
    problems = []
    if referred is None or absent is None:
        problems.append("fixtures not decoded")
    else:
        if not referred.patient_referred.HasField("ecog") or referred.patient_referred.ecog != 0:
            problems.append("ecog = 0 was not received as present 0")
        if absent.patient_referred.HasField("ecog"):
            problems.append(f"absent ecog was received as present {absent.patient_referred.ecog}")
        if not absent.patient_referred.HasField("age_years") or absent.patient_referred.age_years != 71:
            problems.append("age_years = 71 was not received as present")
    results.check("swift->python presence of ecog (0 present, absent)", problems)
    print(
        f"info: {identical} of {len(python_fixtures)} Swift encodings are byte-identical to Python's"
        " deterministic encoding",
        flush=True,
    )


def check_python_to_swift(results, binary, brokers, run_id, python_fixtures, topics):
    topic = f"conformance.python-to-swift.{run_id}"
    topics.append(topic)
    create_topics(brokers, [topic])
    producer = new_producer(brokers)
    errors = []

    def delivered(error, record):
        if error is not None:
            errors.append(str(error))

    for name, message in python_fixtures.items():
        producer.produce(
            topic,
            key=name.encode(),
            value=message.SerializeToString(),
            headers=[("fixture", name.encode()), ("type", message.DESCRIPTOR.full_name.encode())],
            on_delivery=delivered,
        )
    left = producer.flush(CONSUME_TIMEOUT)
    if left or errors:
        results.fail("python->swift publish", f"{left} records undelivered, errors: {errors}")
        return
    results.ok(f"python->swift publish ({len(python_fixtures)} records)")

    status, out, err = run_cli(
        binary, "conformance", "verify", "--topic", topic, "--count", str(len(python_fixtures)), "--timeout", "30"
    )
    # Per-record lines: `ok <name>` or `FAIL <name>: why` with indented continuation lines.
    verdicts, current = {}, None
    for line in out.splitlines():
        if line.startswith("ok "):
            current = line[3:].strip()
            verdicts[current] = None
        elif line.startswith("FAIL "):
            name, _, why = line[5:].partition(": ")
            current = name.strip()
            verdicts[current] = why
        elif line.startswith(" ") and current is not None and verdicts.get(current) is not None:
            verdicts[current] += " | " + line.strip()
    for name in python_fixtures:
        check = f"python->swift {name}"
        if name not in verdicts:
            results.fail(check, "Swift verify printed no verdict for it")
        elif verdicts[name] is not None:
            results.fail(check, verdicts[name])
        else:
            results.ok(check)
    for name in sorted(set(verdicts) - set(python_fixtures)):
        if name != "missing":
            results.fail(f"python->swift {name}", verdicts[name] or "unexpected verdict")
    if status == 0:
        results.ok("python->swift verify exits 0")
    else:
        results.fail("python->swift verify exits 0", f"`trialtransit conformance verify` exited {status}")
        detail(out)
        detail(err)


class HealthClient:
    """A foreign RPC client: only the documented headers of docs/CONTRACT.md §4 and §6."""

    def __init__(self, brokers, request_topic, reply_topic):
        self.request_topic = request_topic
        self.reply_topic = reply_topic
        self.producer = new_producer(brokers)
        self.consumer = new_consumer(brokers, reply_topic)
        self.replies = {}  # correlation id -> record

    def close(self):
        self.consumer.close()
        self.producer.flush(5)

    def send(self, service, method=CHECK_METHOD, deadline=None):
        """Produces one request; returns (correlation id, traceparent)."""
        correlation = str(uuid.uuid4())
        traceparent = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
        if deadline is None:
            deadline = now_ms() + CALL_TIMEOUT * 1000
        errors = []
        self.producer.produce(
            self.request_topic,
            key=None,  # contract §2: the Health request topic has no key
            value=health_pb2.HealthCheckRequest(service=service).SerializeToString(),
            headers=[
                ("rpc-method", method.encode()),
                ("correlation-id", correlation.encode()),
                ("reply-to", self.reply_topic.encode()),
                ("deadline", str(deadline).encode()),
                ("traceparent", traceparent.encode()),
            ],
            on_delivery=lambda error, _: errors.append(error) if error is not None else None,
        )
        if self.producer.flush(CALL_TIMEOUT) or errors:
            raise RuntimeError(f"request not delivered: {errors}")
        return correlation, traceparent

    def wait(self, correlation, timeout):
        """The reply for `correlation`, or None after `timeout` seconds. Other replies are kept."""
        deadline = time.monotonic() + timeout
        while correlation not in self.replies and time.monotonic() < deadline:
            record = self.consumer.poll(0.1)
            if record is None:
                continue
            if record.error():
                if record.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise RuntimeError(f"consume {self.reply_topic}: {record.error()}")
            reply_correlation = headers_of(record).get("correlation-id")
            if reply_correlation is not None:
                self.replies[reply_correlation] = record
        return self.replies.get(correlation)


def reply_problems(record, correlation, traceparent, status):
    """What is wrong with a reply expected to carry `status`; [] when it conforms."""
    headers = headers_of(record)
    problems = []
    if headers.get("rpc-status") != str(status):
        problems.append(f"rpc-status {headers.get('rpc-status')!r} (rpc-message {headers.get('rpc-message')!r}), expected {status}")
    if record.key() != correlation.encode():
        problems.append(f"key {record.key()!r}, expected the correlation id")
    if headers.get("correlation-id") != correlation:
        problems.append(f"correlation-id {headers.get('correlation-id')!r} not echoed")
    sent = TRACEPARENT.match(traceparent)
    got = TRACEPARENT.match(headers.get("traceparent") or "")
    if got is None:
        problems.append(f"traceparent {headers.get('traceparent')!r} missing or malformed")
    elif got.group(1) != sent.group(1):
        problems.append(f"traceparent trace id {got.group(1)}, expected {sent.group(1)}")
    if status != 0:
        if record.value() is None:
            problems.append("value is null, expected empty (zero-length, not null)")
        elif len(record.value()) != 0:
            problems.append(f"value has {len(record.value())} bytes, expected empty")
        if not headers.get("rpc-message"):
            problems.append("no rpc-message on an error reply")
    return problems


def check_health(results, binary, brokers, run_id, topics):
    prefix = f"conformance.{run_id}."
    request_topic = f"{prefix}rpc.{HEALTH_SERVICE}.requests"
    reply_topic = f"{prefix}rpc.replies.conformance-{run_id}"
    topics += [request_topic, reply_topic]
    failed_before = results.failed
    create_topics(brokers, [reply_topic])

    stderr_file = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"conformance-health-{run_id}.log"), "w+")
    child = subprocess.Popen(
        [binary, "conformance", "serve-health", "--topic-prefix", prefix],
        stdout=subprocess.PIPE,
        stderr=stderr_file,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    lines = queue.Queue()

    def pump():
        for line in child.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    client = None
    try:
        # Ready line.
        ready, deadline = None, time.monotonic() + READY_TIMEOUT
        while ready is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            if line.startswith("serving health on "):
                ready = line[len("serving health on ") :].strip()
        if ready is None:
            results.fail("health serve-health ready", f"no ready line within {READY_TIMEOUT} s (exit {child.poll()})")
            stderr_file.seek(0)
            detail(stderr_file.read())
            return
        results.check(
            "health serve-health ready",
            [] if ready == request_topic else [f"serves {ready!r}, expected {request_topic!r}"],
        )

        client = HealthClient(brokers, request_topic, reply_topic)

        # First call, service "": the server reads from the topic end once it has started, so a
        # request written before that is never seen: retry (new correlation id) until answered.
        first_reply, attempts, budget = None, 0, time.monotonic() + FIRST_CALL_BUDGET
        while first_reply is None and time.monotonic() < budget and child.poll() is None:
            attempts += 1
            correlation, traceparent = client.send("")
            first_reply = client.wait(correlation, FIRST_CALL_ATTEMPT)
        if first_reply is None:
            results.fail("health Check service=\"\" -> OK SERVING", f"no reply after {attempts} attempts (server exit {child.poll()})")
        else:
            problems = reply_problems(first_reply, correlation, traceparent, 0)
            if not problems:
                response = health_pb2.HealthCheckResponse()
                response.ParseFromString(first_reply.value() or b"")
                if response.status != health_pb2.SERVING_STATUS_SERVING:
                    problems.append(f"status {response.status}, expected SERVING_STATUS_SERVING")
                same = headers_of(first_reply).get("traceparent") == traceparent
                print(
                    "info: the reply's traceparent is "
                    + ("the request's, verbatim" if same else "the request's trace id with a new span id"),
                    flush=True,
                )
            results.check(f"health Check service=\"\" -> OK SERVING (answered on attempt {attempts})", problems)

        def call(name, service, status, method=CHECK_METHOD, deadline=None, serving=False):
            if first_reply is None:
                results.fail(name, "skipped: the server never answered the first call")
                return
            try:
                correlation, traceparent = client.send(service, method=method, deadline=deadline)
                reply = client.wait(correlation, CALL_TIMEOUT)
            except Exception as error:
                results.fail(name, error)
                return
            if reply is None:
                results.fail(name, f"no reply within {CALL_TIMEOUT} s")
                return
            problems = reply_problems(reply, correlation, traceparent, status)
            if serving and not problems:
                response = health_pb2.HealthCheckResponse()
                response.ParseFromString(reply.value() or b"")
                if response.status != health_pb2.SERVING_STATUS_SERVING:
                    problems.append(f"status {response.status}, expected SERVING_STATUS_SERVING")
            results.check(name, problems)

        call(f"health Check service={HEALTH_SERVICE} -> OK SERVING", HEALTH_SERVICE, 0, serving=True)
        call("health Check with expired deadline -> 4 DEADLINE_EXCEEDED, empty value", "", 4, deadline=now_ms() - 10_000)
        call("health /trialtransit.v1.Health/Watch -> 12 UNIMPLEMENTED", "", 12, method="/trialtransit.v1.Health/Watch")
        call("health Check service=acme.v1.Nope -> 5 NOT_FOUND", "acme.v1.Nope", 5)
    finally:
        if client is not None:
            try:
                client.close()
            except Exception:
                pass
        # Graceful shutdown on SIGTERM: exit 0 within SHUTDOWN_TIMEOUT.
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                code = child.wait(timeout=SHUTDOWN_TIMEOUT)
                results.check(
                    f"health serve-health exits 0 on SIGTERM within {SHUTDOWN_TIMEOUT} s",
                    [] if code == 0 else [f"exit status {code}"],
                )
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=SHUTDOWN_TIMEOUT)
                results.fail(f"health serve-health exits 0 on SIGTERM within {SHUTDOWN_TIMEOUT} s", "still running: killed")
        else:
            results.fail(f"health serve-health exits 0 on SIGTERM within {SHUTDOWN_TIMEOUT} s", f"it had already exited with {child.returncode}")
        if results.failed > failed_before:
            stderr_file.seek(0)
            log = stderr_file.read()
            if log.strip():
                print("    serve-health stderr:", flush=True)
                detail(log[-4000:])
        stderr_file.close()
        os.unlink(stderr_file.name)


def main():
    # SIGTERM (scripts/test's own shutdown) unwinds like Ctrl-C, so the child server is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = Results()
    brokers = os.environ.get("TRIALTRANSIT_BROKERS", "")
    binary = os.environ.get("TRIALTRANSIT_BIN", os.path.join(REPO, ".build", "debug", "trialtransit"))
    if not brokers:
        results.fail("environment", "TRIALTRANSIT_BROKERS is not set")
    elif not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        results.fail("environment", f"TRIALTRANSIT_BIN {binary} is not an executable file")
    else:
        run_id = f"{int(time.time())}-{uuid.uuid4().hex[:8]}"
        print(f"conformance run {run_id}: brokers {brokers}, binary {binary}", flush=True)
        python_fixtures = fixtures.all_fixtures()
        topics = []
        steps = [
            ("fixtures", lambda: check_fixture_coverage(results, python_fixtures)),
            ("swift->python", lambda: check_swift_to_python(results, binary, brokers, run_id, python_fixtures, topics)),
            ("python->swift", lambda: check_python_to_swift(results, binary, brokers, run_id, python_fixtures, topics)),
            ("health", lambda: check_health(results, binary, brokers, run_id, topics)),
        ]
        for name, step in steps:
            try:
                step()
            except Exception as error:  # a broken step fails and the others still run
                results.fail(f"{name} (step aborted)", f"{type(error).__name__}: {error}")
        delete_topics(brokers, topics)
    print(f"{results.passed} passed, {results.failed} failed", flush=True)
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
