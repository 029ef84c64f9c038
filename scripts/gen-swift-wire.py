#!/usr/bin/env python3
"""Generates TransitWire's Swift message types from protos/ (see docs/WIRE.md).

Reads the protos through a FileDescriptorSet written by protoc (with source info, so proto
comments become doc comments) and the protoc-c output in the C target (for the exact C struct,
member and function names), and writes one Swift file per .proto plus the registry:

    <out>/trialtransit/v1/<name>.pb.swift   values, views, enums, services of <name>.proto
    <out>/WireRegistry.pb.swift             every message type, service and message schema (proto3 JSON shape) by full name

Output is deterministic. Usually run through scripts/generate-protos, which also checks for drift.

Usage: gen-swift-wire.py --proto-root protos --c-dir Sources/CTransitProto --out DIR [PROTO...]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from google.protobuf import descriptor_pb2 as pb

GENERATOR = "scripts/gen-swift-wire.py"

# FieldDescriptorProto.Type -> (Swift type, JSON writer method, JSON reader expression template)
SCALARS = {
    pb.FieldDescriptorProto.TYPE_DOUBLE: ("Double", "double", "try {v}.double({f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_FLOAT: ("Float", "float", "try {v}.float({f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_INT64: ("Int64", "quoted", "try {v}.integer(Int64.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_SINT64: ("Int64", "quoted", "try {v}.integer(Int64.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_SFIXED64: ("Int64", "quoted", "try {v}.integer(Int64.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_UINT64: ("UInt64", "quoted", "try {v}.integer(UInt64.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_FIXED64: ("UInt64", "quoted", "try {v}.integer(UInt64.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_INT32: ("Int32", "number", "try {v}.integer(Int32.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_SINT32: ("Int32", "number", "try {v}.integer(Int32.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_SFIXED32: ("Int32", "number", "try {v}.integer(Int32.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_UINT32: ("UInt32", "number", "try {v}.integer(UInt32.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_FIXED32: ("UInt32", "number", "try {v}.integer(UInt32.self, {f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_BOOL: ("Bool", "bool", "try {v}.bool({f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_STRING: ("String", "string", "try {v}.string({f}, in: Self.protoName)"),
    pb.FieldDescriptorProto.TYPE_BYTES: ("[UInt8]", "bytes", "try {v}.bytes({f}, in: Self.protoName)"),
}
T = pb.FieldDescriptorProto
# FieldDescriptorProto.Type -> the scalar's name in a .proto file (for WireFieldSchema.Kind.scalar)
SCALAR_NAMES = {t: pb.FieldDescriptorProto.Type.Name(t)[len("TYPE_"):].lower() for t in SCALARS}
DEFAULTS = {"Double": "0", "Float": "0", "Int64": "0", "UInt64": "0", "Int32": "0", "UInt32": "0",
            "Bool": "false", "String": '""', "[UInt8]": "[]"}

SWIFT_KEYWORDS = set("""
    associatedtype class deinit enum extension fileprivate func import init inout internal let open operator
    private precedencegroup protocol public rethrows static struct subscript typealias var break case catch
    continue default defer do else fallthrough for guard if in repeat return throw switch where while Any as
    await false is nil self Self super throws true try Type Protocol _
""".split())


class GenError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Names


def lower_camel(snake: str) -> str:
    """proto3 JSON name: drop underscores, capitalize the letter after each."""
    out, upper = [], False
    for ch in snake:
        if ch == "_":
            upper = True
        else:
            out.append(ch.upper() if upper else ch)
            upper = False
    return "".join(out)


def upper_camel(snake: str) -> str:
    name = lower_camel(snake)
    return name[:1].upper() + name[1:]


def upper_snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).upper()


# Names that backticks cannot rescue as members (`self.self`, a parameter named `self`): suffixed.
SWIFT_RESERVED_MEMBERS = {"self", "Self", "Type", "Protocol", "init", "deinit", "subscript"}


def escape(identifier: str) -> str:
    if identifier in SWIFT_RESERVED_MEMBERS:
        return identifier + "_"
    return f"`{identifier}`" if identifier in SWIFT_KEYWORDS else identifier


def escape_c(member: str) -> str:
    """A C struct member as Swift imports it (keywords in backticks, never renamed)."""
    return f"`{member}`" if member in SWIFT_KEYWORDS else member


def enum_member_name(enum_name: str, value_name: str) -> str:
    """MOBILITY_WHEELCHAIR -> wheelchair; TRIAL_PHASE_1_2 -> phase1_2 (prefix word kept before digits)."""
    prefix = upper_snake(enum_name) + "_"
    stripped = value_name[len(prefix):] if value_name.startswith(prefix) and len(value_name) > len(prefix) else value_name
    words = [w.lower() for w in stripped.split("_") if w]
    if words[0][0].isdigit():
        words.insert(0, prefix.rstrip("_").split("_")[-1].lower())
    out = words[0]
    for word in words[1:]:
        if out[-1].isdigit() and word[0].isdigit():
            out += "_" + word
        else:
            out += word[:1].upper() + word[1:]
    return out


# ---------------------------------------------------------------------------------------------
# protoc-c output: exact C names


@dataclass
class CNames:
    messages: dict = field(default_factory=dict)  # full name -> (c_prefix, c_struct)
    enums: dict = field(default_factory=dict)  # full name -> (c_prefix, c_type)
    services: dict = field(default_factory=dict)  # full name -> c_prefix
    members: dict = field(default_factory=dict)  # (c_prefix, field name) -> (quantifier member, member)


DESCRIPTOR_RE = re.compile(
    r"const ProtobufC(Message|Enum|Service)Descriptor (\w+)__descriptor =\s*\{\s*PROTOBUF_C__\w+_DESCRIPTOR_MAGIC,"
    r'\s*"([\w.]+)",\s*"\w+",\s*"(\w+)",')
FIELDS_RE = re.compile(
    r"static const ProtobufCFieldDescriptor (\w+)__field_descriptors\[\d+\] =\s*\{(.*?)\n\};", re.S)
FIELD_RE = re.compile(
    r'\{\s*"(\w+)",\s*\d+,\s*PROTOBUF_C_LABEL_\w+,\s*PROTOBUF_C_TYPE_\w+,\s*'
    r"(?:0,\s*/\* quantifier_offset \*/|offsetof\(\w+, (\w+)\),)\s*offsetof\(\w+, (\w+)\),")


def read_c_names(c_dir: str) -> CNames:
    names = CNames()
    for root, _, files in sorted(os.walk(c_dir)):
        for name in sorted(files):
            if not name.endswith(".pb-c.c"):
                continue
            text = open(os.path.join(root, name), encoding="utf-8").read()
            for kind, prefix, full, c_name in DESCRIPTOR_RE.findall(text):
                target = {"Message": names.messages, "Enum": names.enums, "Service": names.services}[kind]
                target[full] = prefix if kind == "Service" else (prefix, c_name)
            for prefix, body in FIELDS_RE.findall(text):
                for field_name, quantifier, member in FIELD_RE.findall(body):
                    names.members[(prefix, field_name)] = (quantifier or None, member)
    if not names.messages:
        raise GenError(f"no protoc-c output found under {c_dir}")
    return names


# ---------------------------------------------------------------------------------------------
# Model


@dataclass
class Comments:
    by_path: dict

    def doc(self, path, indent: str, first: str | None = None) -> list[str]:
        loc = self.by_path.get(tuple(path))
        text = ""
        if loc is not None:
            text = loc.leading_comments or loc.trailing_comments
        lines = [first] if first else []
        body = [line[1:] if line.startswith(" ") else line for line in text.rstrip("\n").split("\n")] if text else []
        while body and not body[-1].strip():
            body.pop()
        if lines and body:
            lines.append("")
        lines += body
        return [f"{indent}///" + (f" {line}" if line else "") for line in lines]


@dataclass
class Field:
    proto: pb.FieldDescriptorProto
    message: "Message"
    path: list
    json: str = ""
    swift: str = ""
    c_member: str = ""
    c_quantifier: str | None = None
    oneof: "Oneof | None" = None
    map_key: "Field | None" = None
    map_value: "Field | None" = None

    @property
    def name(self) -> str:
        return self.proto.name

    @property
    def repeated(self) -> bool:
        return self.proto.label == T.LABEL_REPEATED and self.map_key is None

    @property
    def is_map(self) -> bool:
        return self.map_key is not None


@dataclass
class Oneof:
    name: str
    index: int
    fields: list
    presence: bool = False  # a one-member `*_known` oneof: an Optional property

    @property
    def swift(self) -> str:
        return escape(lower_camel(self.name))

    @property
    def type_name(self) -> str:
        return upper_camel(self.name)


@dataclass
class Message:
    proto: pb.DescriptorProto
    full: str
    swift: str
    c_prefix: str
    c_struct: str
    path: list
    file: str
    fields: list = field(default_factory=list)
    oneofs: list = field(default_factory=list)
    map_entry: bool = False
    resolved: bool = False


@dataclass
class Enum:
    proto: pb.EnumDescriptorProto
    full: str
    swift: str
    path: list


class Model:
    def __init__(self, fds: pb.FileDescriptorSet, c: CNames):
        self.c = c
        self.files = [f for f in fds.file if f.package.startswith("trialtransit")]
        self.messages: dict[str, Message] = {}
        self.enums: dict[str, Enum] = {}
        self.comments: dict[str, Comments] = {}
        for f in self.files:
            self.comments[f.name] = Comments({tuple(loc.path): loc for loc in f.source_code_info.location})
            for i, e in enumerate(f.enum_type):
                full = f"{f.package}.{e.name}"
                self.enums[full] = Enum(e, full, e.name, [5, i])
            for i, m in enumerate(f.message_type):
                self.add_message(f, m, f"{f.package}.{m.name}", [4, i])
        for m in self.messages.values():
            self.resolve(m)
        self.check_recursion()

    def add_message(self, f, m, full, path):
        if full not in self.c.messages:
            raise GenError(f"{full}: no protoc-c descriptor found (regenerate the C code first)")
        prefix, struct = self.c.messages[full]
        msg = Message(m, full, m.name, prefix, struct, path, f.name, map_entry=m.options.map_entry)
        if "." in full[len(f.package) + 1:] and not msg.map_entry:
            raise GenError(f"{full}: nested messages are not supported; declare it at file level")
        self.messages[full] = msg
        for i, nested in enumerate(m.nested_type):
            self.add_message(f, nested, f"{full}.{nested.name}", path + [3, i])
        if m.enum_type:
            raise GenError(f"{full}: nested enums are not supported; declare them at file level")

    def resolve(self, msg: Message):
        if msg.resolved:
            return
        msg.resolved = True
        m = msg.proto
        oneofs = [Oneof(o.name, i, []) for i, o in enumerate(m.oneof_decl)]
        for i, fp in enumerate(m.field):
            if fp.proto3_optional:
                raise GenError(f"{msg.full}.{fp.name}: proto3 optional is not supported by protoc-c 1.4")
            if fp.type == T.TYPE_GROUP:
                raise GenError(f"{msg.full}.{fp.name}: groups are not supported")
            f = Field(fp, msg, msg.path + [2, i])
            f.json = fp.json_name or lower_camel(fp.name)
            f.swift = escape(lower_camel(fp.name))
            key = (msg.c_prefix, fp.name)
            if key not in self.c.members:
                raise GenError(f"{msg.full}.{fp.name}: not found in the protoc-c field descriptors")
            f.c_quantifier, f.c_member = self.c.members[key]
            if fp.type == T.TYPE_MESSAGE and fp.label == T.LABEL_REPEATED:
                entry = self.messages.get(fp.type_name.lstrip("."))
                if entry is not None and entry.map_entry:
                    self.resolve(entry)
                    f.map_key, f.map_value = entry.fields[0], entry.fields[1]
            if fp.HasField("oneof_index"):
                f.oneof = oneofs[fp.oneof_index]
                f.oneof.fields.append(f)
            msg.fields.append(f)
        for o in oneofs:
            # CONTRACT.md §1: a scalar alone in a oneof named `<field>_known` (age_known holds age_years).
            o.presence = len(o.fields) == 1 and o.name.endswith("_known")
        msg.oneofs = oneofs

    def check_recursion(self):
        def visit(msg, stack):
            if msg.full in stack:
                raise GenError("recursive messages are not supported: " + " -> ".join(stack + [msg.full]))
            for f in msg.fields:
                if f.proto.type == T.TYPE_MESSAGE and not f.repeated and not f.is_map:
                    visit(self.messages[f.proto.type_name.lstrip(".")], stack + [msg.full])
        for m in self.messages.values():
            visit(m, [])

    def message(self, f: Field) -> Message:
        return self.messages[f.proto.type_name.lstrip(".")]

    def enum(self, f: Field) -> Enum:
        return self.enums[f.proto.type_name.lstrip(".")]


# ---------------------------------------------------------------------------------------------
# Swift emission


class Out:
    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, *lines: str):
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


class Gen:
    def __init__(self, model: Model):
        self.m = model
        # Messages that occur as elements of repeated fields get a pointer-based `_fill` too.
        self.element_types = {
            f.proto.type_name.lstrip(".") for msg in model.messages.values() for f in msg.fields
            if f.repeated and f.proto.type == T.TYPE_MESSAGE}

    # --- types -----------------------------------------------------------------------------

    def value_type(self, f: Field) -> str:
        """Swift type of one value of the field (element type for repeated fields)."""
        t = f.proto.type
        if t == T.TYPE_MESSAGE:
            return self.m.message(f).swift
        if t == T.TYPE_ENUM:
            return self.m.enum(f).swift
        return SCALARS[t][0]

    def property_type(self, f: Field) -> str:
        if f.is_map:
            return f"[{self.value_type(f.map_key)}: {self.value_type(f.map_value)}]"
        if f.repeated:
            return f"[{self.value_type(f)}]"
        if f.oneof is not None and f.oneof.presence:
            return self.value_type(f) + "?"
        if f.proto.type == T.TYPE_MESSAGE:
            return self.value_type(f) + "?"
        return self.value_type(f)

    def default(self, f: Field) -> str:
        if f.is_map:
            return "[:]"
        if f.repeated:
            return "[]"
        if f.proto.type == T.TYPE_MESSAGE or (f.oneof is not None and f.oneof.presence):
            return "nil"
        if f.proto.type == T.TYPE_ENUM:
            return f"{self.value_type(f)}(rawValue: 0)"
        return DEFAULTS[self.value_type(f)]

    def c_element_type(self, f: Field) -> str:
        """C element type of a repeated field's array, as Swift spells it."""
        t = f.proto.type
        if f.is_map or t == T.TYPE_MESSAGE:
            target = self.m.messages[f.proto.type_name.lstrip(".")]
            return f"UnsafeMutablePointer<{target.c_struct}>?"
        if t == T.TYPE_STRING:
            return "UnsafeMutablePointer<CChar>?"
        if t == T.TYPE_BYTES:
            return "ProtobufCBinaryData"
        if t == T.TYPE_BOOL:
            return "protobuf_c_boolean"
        if t == T.TYPE_ENUM:
            return self.m.c.enums[f.proto.type_name.lstrip(".")][1]
        return SCALARS[t][0]

    # --- C -> Swift ------------------------------------------------------------------------

    def from_c(self, f: Field, expr: str, view: bool = False) -> str:
        """Swift value of one C value `expr` of field `f` (a message pointer may be NULL)."""
        t = f.proto.type
        if t == T.TYPE_STRING:
            return f"WireC.string({expr})"
        if t == T.TYPE_BYTES:
            return f"WireC.bytes({expr})"
        if t == T.TYPE_BOOL:
            return f"({expr} != 0)"
        if t == T.TYPE_ENUM:
            return f"WireC.enumValue({expr})"
        if t == T.TYPE_MESSAGE:
            target = self.m.message(f)
            return f"({expr}.map {{ {target.swift}(_c: $0) }} ?? {target.swift}())"
        return expr

    def view_from_c(self, f: Field, expr: str, wrap: str = "") -> str:
        """An optional view of the C message pointer `expr`, wrapped in enum case `wrap` if given."""
        target = self.m.message(f)
        view = f"{target.swift}.View(_storage: _storage, _pointer: UnsafeRawPointer($0))"
        return f"{expr}.map {{ {wrap}({view}) }}" if wrap else f"{expr}.map {{ {view} }}"

    def materialize_field(self, f: Field, c: str) -> list[str]:
        """Statements setting `self.<field>` from the C struct pointer `c`."""
        member = f"{c}.pointee.{escape_c(f.c_member)}"
        if f.is_map:
            entry = self.m.message(f)
            key = self.from_c(f.map_key, f"entry.pointee.{escape_c(f.map_key.c_member)}")
            value = self.from_c(f.map_value, f"entry.pointee.{escape_c(f.map_value.c_member)}")
            return [
                f"for entry in WireC.buffer({member}, {c}.pointee.{escape_c(f.c_quantifier)}) {{",
                f"    guard let entry else {{ continue }}",
                f"    self.{f.swift}[{key}] = {value}",
                "}",
            ]
        if f.repeated:
            elem = self.from_c(f, "$0")
            return [f"self.{f.swift} = WireC.buffer({member}, {c}.pointee.{escape_c(f.c_quantifier)}).map {{ {elem} }}"]
        if f.oneof is not None:
            raise AssertionError("oneof members are handled per oneof")
        if f.proto.type == T.TYPE_MESSAGE:
            target = self.m.message(f)
            return [f"self.{f.swift} = {member}.map {{ {target.swift}(_c: $0) }}"]
        return [f"self.{f.swift} = {self.from_c(f, member)}"]

    def materialize_oneof(self, o: Oneof, c: str) -> list[str]:
        case_expr = f"{c}.pointee.{escape_c(o.fields[0].c_quantifier)}.rawValue"
        if o.presence:
            f = o.fields[0]
            member = f"{c}.pointee.{escape_c(f.c_member)}"
            return [f"self.{f.swift} = {case_expr} == {f.proto.number} ? {self.from_c(f, member)} : nil"]
        out = [f"switch {case_expr} {{"]
        for f in o.fields:
            out.append(f"case {f.proto.number}: self.{o.swift} = .{f.swift}({self.from_c(f, f'{c}.pointee.{escape_c(f.c_member)}')})")
        out += [f"default: self.{o.swift} = nil", "}"]
        return out

    # --- Swift -> C ------------------------------------------------------------------------

    def store_value(self, f: Field, v: str, lvalue: str, always: bool) -> list[str]:
        """Statements storing Swift value `v` into C lvalue `lvalue`."""
        t = f.proto.type
        if t == T.TYPE_STRING:
            stmt = f"{lvalue} = arena.cString({v})"
            return [stmt] if always else [f"if !{v}.isEmpty {{ {stmt} }}"]
        if t == T.TYPE_BYTES:
            stmt = f"{lvalue} = arena.bytes({v})"
            return [stmt] if always else [f"if !{v}.isEmpty {{ {stmt} }}"]
        if t == T.TYPE_BOOL:
            return [f"{lvalue} = {v} ? 1 : 0"]
        if t == T.TYPE_ENUM:
            return [f"{lvalue} = WireC.cEnum({v})"]
        if t == T.TYPE_MESSAGE:
            target = self.m.message(f)
            return [
                "do {",
                f"    let p = arena.allocate({target.c_struct}.self)",
                f"    {v}._fill(p, &arena)",
                f"    {lvalue} = p",
                "}",
            ]
        return [f"{lvalue} = {v}"]

    def fill(self, msg: Message) -> list[str]:
        out = [f"{msg.c_prefix}__init(c)"]
        for f in msg.fields:
            if f.oneof is not None:
                continue
            member = f"c.pointee.{escape_c(f.c_member)}"
            count = f"c.pointee.{escape_c(f.c_quantifier)}" if f.c_quantifier else None
            if f.is_map:
                entry = self.m.message(f)
                sort = "{ !$0.key && $1.key }" if f.map_key.proto.type == T.TYPE_BOOL else "{ $0.key < $1.key }"
                out += [
                    f"if !self.{f.swift}.isEmpty {{",
                    f"    let array = arena.array(of: ({self.c_element_type(f)}).self, count: self.{f.swift}.count)",
                    f"    for (i, (key, value)) in self.{f.swift}.sorted(by: {sort}).enumerated() {{",
                    f"        let entry = arena.allocate({entry.c_struct}.self)",
                    f"        {entry.c_prefix}__init(entry)",
                ]
                out += ["        " + s for s in self.store_value(f.map_key, "key", f"entry.pointee.{escape_c(f.map_key.c_member)}", True)]
                out += ["        " + s for s in self.store_value(f.map_value, "value", f"entry.pointee.{escape_c(f.map_value.c_member)}", True)]
                out += [
                    "        array[i] = entry",
                    "    }",
                    f"    {count} = self.{f.swift}.count",
                    f"    {member} = array",
                    "}",
                ]
            elif f.repeated:
                out += [
                    f"if !self.{f.swift}.isEmpty {{",
                    f"    let array = arena.array(of: ({self.c_element_type(f)}).self, count: self.{f.swift}.count)",
                ]
                if f.proto.type == T.TYPE_MESSAGE:
                    # Filled in place through a pointer: passing an element as a value copies it.
                    target = self.m.message(f)
                    out += [
                        f"    self.{f.swift}.withUnsafeBufferPointer {{ elements in",
                        "        for i in elements.indices {",
                        f"            let p = arena.allocate({target.c_struct}.self)",
                        f"            {target.swift}._fill(elements.baseAddress.unsafelyUnwrapped + i, p, &arena)",
                        "            array[i] = p",
                        "        }",
                        "    }",
                    ]
                else:
                    out.append(f"    for i in self.{f.swift}.indices {{")
                    out += ["        " + s for s in self.store_value(f, f"self.{f.swift}[i]", "array[i]", True)]
                    out.append("    }")
                out += [
                    f"    {count} = self.{f.swift}.count",
                    f"    {member} = array",
                    "}",
                ]
            elif f.proto.type == T.TYPE_MESSAGE:
                out.append(f"if let v = self.{f.swift} {{")
                out += ["    " + s for s in self.store_value(f, "v", member, True)]
                out.append("}")
            else:
                out += self.store_value(f, "self." + f.swift, member, False)
        for o in msg.oneofs:
            case_member = f"c.pointee.{escape_c(o.fields[0].c_quantifier)}"
            if o.presence:
                f = o.fields[0]
                out.append(f"if let v = self.{f.swift} {{")
                out.append(f"    {case_member} = .init(rawValue: {f.proto.number})")
                out += ["    " + s for s in self.store_value(f, "v", f"c.pointee.{escape_c(f.c_member)}", True)]
                out.append("}")
                continue
            out.append(f"switch self.{o.swift} {{")
            for f in o.fields:
                out.append(f"case .{f.swift}(let v)?:")
                out.append(f"    {case_member} = .init(rawValue: {f.proto.number})")
                out += ["    " + s for s in self.store_value(f, "v", f"c.pointee.{escape_c(f.c_member)}", True)]
            out += ["case nil: break", "}"]
        return out

    # --- JSON ------------------------------------------------------------------------------

    def json_write_value(self, f: Field, v: str) -> str:
        t = f.proto.type
        if t == T.TYPE_MESSAGE:
            return f"{v}._writeJSON(&w)"
        if t == T.TYPE_ENUM:
            return f"w.enumValue({v})"
        return f"w.{SCALARS[t][1]}({v})"

    def json_is_default(self, f: Field, v: str) -> str:
        t = f.proto.type
        if t in (T.TYPE_STRING, T.TYPE_BYTES):
            return f"{v}.isEmpty"
        if t == T.TYPE_BOOL:
            return f"!{v}"
        if t == T.TYPE_ENUM:
            return f"{v}.rawValue == 0"
        return f"{v} == 0"

    def json_write(self, msg: Message) -> list[str]:
        """Members in declaration order; a oneof where its first member is declared."""
        out = ["w.beginObject()"]
        done = set()
        for f in msg.fields:
            key = f'w.key("{f.json}")'
            o = f.oneof
            if o is not None and o.presence:
                out.append(f"if let v = self.{f.swift} {{ {key}; {self.json_write_value(f, 'v')} }}")
            elif o is not None:
                if o.index in done:
                    continue
                done.add(o.index)
                out.append(f"switch self.{o.swift} {{")
                for m in o.fields:
                    out.append(f'case .{m.swift}(let v)?: w.key("{m.json}"); {self.json_write_value(m, "v")}')
                out += ["case nil: break", "}"]
            elif f.is_map:
                k = f.map_key.proto.type
                key_expr = "key" if k == T.TYPE_STRING else ('(key ? "true" : "false")' if k == T.TYPE_BOOL else "String(key)")
                sort = "{ !$0.key && $1.key }" if k == T.TYPE_BOOL else "{ $0.key < $1.key }"
                out += [
                    f"if !self.{f.swift}.isEmpty {{",
                    f"    {key}",
                    "    w.beginObject()",
                    f"    for (key, value) in self.{f.swift}.sorted(by: {sort}) {{",
                    f"        w.dynamicKey({key_expr})",
                    f"        {self.json_write_value(f.map_value, 'value')}",
                    "    }",
                    "    w.endObject()",
                    "}",
                ]
            elif f.repeated:
                out += [
                    f"if !self.{f.swift}.isEmpty {{",
                    f"    {key}",
                    "    w.beginArray()",
                    f"    for element in self.{f.swift} {{",
                    "        w.element()",
                    f"        {self.json_write_value(f, 'element')}",
                    "    }",
                    "    w.endArray()",
                    "}",
                ]
            elif f.proto.type == T.TYPE_MESSAGE:
                out.append(f"if let v = self.{f.swift} {{ {key}; {self.json_write_value(f, 'v')} }}")
            else:
                out.append(f"if !({self.json_is_default(f, 'self.' + f.swift)}) {{ {key}; {self.json_write_value(f, 'self.' + f.swift)} }}")
        out.append("w.endObject()")
        return out

    def json_read_value(self, f: Field, v: str) -> str:
        t = f.proto.type
        label = f'"{f.json}"'
        if t == T.TYPE_MESSAGE:
            return f"try {self.m.message(f).swift}(_json: {v})"
        if t == T.TYPE_ENUM:
            return f"try {v}.enumValue({self.m.enum(f).swift}.self, {label}, in: Self.protoName)"
        return SCALARS[t][2].format(v=v, f=label)

    def json_read(self, msg: Message) -> list[str]:
        out = ["self.init()", "for (key, value) in try json.members(of: Self.protoName) {",
               "    guard !value.isNull else {"]
        known = []
        for f in msg.fields:
            known += [f.json] + ([f.name] if f.name != f.json else [])
        if known:
            labels = ", ".join('"' + k + '"' for k in known)
            out.append(f"        switch key {{ case {labels}: continue; default: throw JSONValue.unknownField(key, in: Self.protoName) }}")
        else:
            out.append("        throw JSONValue.unknownField(key, in: Self.protoName)")
        out += ["    }", "    switch key {"]
        for f in msg.fields:
            names = ", ".join(f'"{n}"' for n in ([f.json] + ([f.name] if f.name != f.json else [])))
            out.append(f"    case {names}:")
            label = f'"{f.json}"'
            if f.is_map:
                key_t = f.map_key.proto.type
                if key_t == T.TYPE_STRING:
                    key_expr = "k"
                elif key_t == T.TYPE_BOOL:
                    key_expr = f"try JSONValue.mapKey(k, Bool.self, {label}, in: Self.protoName)"
                else:
                    key_expr = f"try JSONValue.mapKey(k, {self.value_type(f.map_key)}.self, {label}, in: Self.protoName)"
                out += [
                    f"        for (k, v) in try value.members(of: Self.protoName + \".{f.json}\") {{",
                    f"            self.{f.swift}[{key_expr}] = {self.json_read_value(f.map_value, 'v')}",
                    "        }",
                ]
            elif f.repeated:
                out += [
                    f"        for element in try value.array({label}, in: Self.protoName) {{",
                    f"            self.{f.swift}.append({self.json_read_value(f, 'element')})",
                    "        }",
                ]
            elif f.oneof is not None and not f.oneof.presence:
                o = f.oneof
                out += [
                    f'        guard self.{o.swift} == nil else {{ throw JSONValue.duplicateOneof("{o.name}", {label}, in: Self.protoName) }}',
                    f"        self.{o.swift} = .{f.swift}({self.json_read_value(f, 'value')})",
                ]
            else:
                out.append(f"        self.{f.swift} = {self.json_read_value(f, 'value')}")
        out += ["    default:", "        throw JSONValue.unknownField(key, in: Self.protoName)", "    }", "}"]
        return out

    # --- views -----------------------------------------------------------------------------

    def view_property(self, f: Field) -> tuple[str, str]:
        """(type, getter expression) of the view property of a non-oneof field."""
        member = f"_c.pointee.{escape_c(f.c_member)}"
        if f.is_map:
            return self.property_type(f), ""  # materialized; emitted as statements
        if f.repeated:
            count = f"_c.pointee.{escape_c(f.c_quantifier)}"
            if f.proto.type == T.TYPE_MESSAGE:
                target = self.m.message(f)
                return (f"WireViewList<{target.swift}.View>", f"WireViewList(_storage, UnsafeRawPointer({member}), {count})")
            if f.proto.type == T.TYPE_STRING:
                return ("WireStringList", f"WireStringList(_storage, UnsafePointer({member}), {count})")
            return (self.property_type(f), f"WireC.buffer({member}, {count}).map {{ {self.from_c(f, '$0')} }}")
        if f.proto.type == T.TYPE_MESSAGE:
            return (f"{self.m.message(f).swift}.View?", self.view_from_c(f, member))
        return (self.value_type(f), self.from_c(f, member))

    def view_value_type(self, f: Field) -> str:
        if f.proto.type == T.TYPE_MESSAGE:
            return f"{self.m.message(f).swift}.View"
        return self.value_type(f)

    # --- files -----------------------------------------------------------------------------

    def field_doc(self, f: Field, comments: Comments, indent: str) -> list[str]:
        """A field's doc comment; a presence oneof member without one takes the oneof's."""
        doc = comments.doc(f.path, indent, None)
        if not doc and f.oneof is not None and f.oneof.presence:
            doc = comments.doc(f.message.path + [8, f.oneof.index], indent, None)
        return doc

    def file_header(self, out: Out, source: str):
        out(f"// Generated by {GENERATOR} from {source}. DO NOT EDIT.",
            "// Regenerate with scripts/generate-protos; see docs/WIRE.md.",
            "",
            "internal import CTransitProto",
            "")

    def emit_enum(self, out: Out, e: Enum, comments: Comments):
        out(*(comments.doc(e.path, "", None) or [f"/// The `{e.full}` enum."]))
        out(f"public struct {e.swift}: WireEnum {{",
            "    public var rawValue: Int32",
            "",
            "    public init(rawValue: Int32) { self.rawValue = rawValue }",
            "",
            f'    public static let protoName = "{e.full}"',
            "")
        seen = {}
        members = []
        for i, v in enumerate(e.proto.value):
            name = enum_member_name(e.swift, v.name)
            if name in seen.values():
                raise GenError(f"{e.full}.{v.name}: Swift name {name} is taken")
            seen[v.name] = name
            members.append(name)
            out(*comments.doc(e.path + [2, i], "    ", f"`{v.name}` = {v.number}."))
            out(f"    public static let {escape(name)} = {e.swift}(rawValue: {v.number})", "")
        out(f"    public static let knownValues: [{e.swift}] = [{', '.join('.' + escape(n) for n in members)}]",
            "",
            "    public var name: String? {",
            "        switch rawValue {")
        numbers = set()
        for v in e.proto.value:
            if v.number not in numbers:
                numbers.add(v.number)
                out(f'        case {v.number}: "{v.name}"')
        out("        default: nil",
            "        }",
            "    }",
            "",
            "    public init?(name: String) {",
            "        switch name {")
        for v in e.proto.value:
            out(f'        case "{v.name}": self.init(rawValue: {v.number})')
        out("        default: return nil",
            "        }",
            "    }",
            "}",
            "")

    def emit_message(self, out: Out, msg: Message, comments: Comments):
        out(*(comments.doc(msg.path, "", None) or [f"/// The `{msg.full}` message."]))
        out(f"public struct {msg.swift}: WireMessage {{",
            f'    public static let protoName = "{msg.full}"',
            "")
        # properties in declaration order; an enum oneof at its first member
        emitted_oneofs = set()
        for f in msg.fields:
            if f.oneof is not None and not f.oneof.presence:
                o = f.oneof
                if o.index in emitted_oneofs:
                    continue
                emitted_oneofs.add(o.index)
                out(*comments.doc(msg.path + [8, o.index], "    ", None))
                out(f"    public var {o.swift}: {o.type_name}? = nil", "")
                continue
            out(*self.field_doc(f, comments, "    "))
            out(f"    public var {f.swift}: {self.property_type(f)} = {self.default(f)}", "")
        for o in msg.oneofs:
            if o.presence:
                continue
            out(*comments.doc(msg.path + [8, o.index], "    ", f"The `{o.name}` oneof."))
            out(f"    public enum {o.type_name}: Sendable, Hashable {{")
            for f in o.fields:
                out(*comments.doc(f.path, "        ", None))
                out(f"        case {f.swift}({self.value_type(f)})")
            out("    }", "")
        # inits
        out("    /// A message with every field at its default.", "    public init() {}", "")
        params = []
        for f in msg.fields:
            if f.oneof is not None and not f.oneof.presence:
                o = f.oneof
                if any(p[0] == o.swift for p in params):
                    continue
                params.append((o.swift, f"{o.type_name}?", "nil"))
            else:
                params.append((f.swift, self.property_type(f), self.default(f)))
        if params:
            out("    /// A message with the given fields; the others at their defaults.",
                "    public init(")
            for i, (name, typ, default) in enumerate(params):
                out(f"        {name}: {typ} = {default}" + ("," if i < len(params) - 1 else ""))
            out("    ) {")
            for name, _, _ in params:
                out(f"        self.{name} = {name}")
            out("    }", "")
        # C -> Swift
        out(f"    init(_c c: UnsafePointer<{msg.c_struct}>) {{")
        for f in msg.fields:
            if f.oneof is None:
                out(*["        " + s for s in self.materialize_field(f, "c")])
        for o in msg.oneofs:
            out(*["        " + s for s in self.materialize_oneof(o, "c")])
        out("    }", "")
        # binary
        out("    public init(wireBytes bytes: UnsafeRawBufferPointer) throws(WireError) {",
            f"        self = try WireC.withUnpacked(bytes, Self.protoName, {msg.c_prefix}__unpack) {{ Self(_c: $0) }}",
            "    }",
            "",
            "    public static func decodeView(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> View {",
            f"        let (storage, c) = try WireStorage.unpack(bytes, Self.protoName, {msg.c_prefix}__unpack)",
            "        return View(_storage: storage, _pointer: c)",
            "    }",
            "",
            "    public func wireBytes() -> [UInt8] {",
            "        var arena = WireArena()",
            f"        let c = arena.allocate({msg.c_struct}.self)",
            "        _fill(c, &arena)",
            f"        let bytes = WireArena.pack(c, {msg.c_prefix}__get_packed_size, {msg.c_prefix}__pack)",
            "        arena.release()",
            "        return bytes",
            "    }",
            "")
        out(f"    func _fill(_ c: UnsafeMutablePointer<{msg.c_struct}>, _ arena: inout WireArena) {{")
        out(*["        " + s for s in self.fill(msg)])
        out("    }", "")
        if msg.full in self.element_types:
            out("    /// `_fill` of a value read in place (an element of an array being encoded).",
                f"    static func _fill(_ value: UnsafePointer<Self>, _ c: UnsafeMutablePointer<{msg.c_struct}>, _ arena: inout WireArena) {{")
            out(*["        " + s.replace("self.", "value.pointee.") for s in self.fill(msg)])
            out("    }", "")
        # JSON
        out("    public init(jsonUTF8 text: some Collection<UInt8>) throws(WireError) {",
            "        try self.init(_json: JSONValue.parse(text, for: Self.protoName))",
            "    }",
            "",
            "    public func jsonString() -> String {",
            "        var w = JSONWriter()",
            "        _writeJSON(&w)",
            "        return w.text",
            "    }",
            "",
            "    init(_json json: JSONValue) throws(WireError) {")
        out(*["        " + s for s in self.json_read(msg)])
        out("    }", "", "    func _writeJSON(_ w: inout JSONWriter) {")
        out(*["        " + s for s in self.json_write(msg)])
        out("    }", "}", "")
        self.emit_view(out, msg, comments)

    def emit_view(self, out: Out, msg: Message, comments: Comments):
        out(f"extension {msg.swift} {{",
            f"    /// A lazy view of a decoded `{msg.swift}`: each property converts its field when read.",
            "    public struct View: WireMessageView, @unchecked Sendable {",
            "        // @unchecked Sendable: `_c` points into immutable C memory that `_storage` owns.",
            "        let _storage: WireStorage",
            f"        let _c: UnsafePointer<{msg.c_struct}>",
            "",
            "        public init(_storage storage: WireStorage, _pointer pointer: UnsafeRawPointer) {",
            "            _storage = storage",
            f"            _c = pointer.assumingMemoryBound(to: {msg.c_struct}.self)",
            "        }",
            "",
            f"        public func materialize() -> {msg.swift} {{ {msg.swift}(_c: _c) }}",
            "",
            "        /// Numbers of the fields on the wire that this build does not know (values drop them);",
            "        /// e.g. a `body` from a newer v1 when `body` is nil.",
            "        public var unknownFieldNumbers: [UInt32] { WireC.unknownFieldNumbers(_c.pointee.base) }",
            "")
        emitted_oneofs = set()
        for f in msg.fields:
            o = f.oneof
            if o is not None and not o.presence:
                if o.index in emitted_oneofs:
                    continue
                emitted_oneofs.add(o.index)
                out(*comments.doc(msg.path + [8, o.index], "        ", None))
                out(f"        public var {o.swift}: {o.type_name}? {{",
                    f"            switch _c.pointee.{escape_c(f.c_quantifier)}.rawValue {{")
                for m in o.fields:
                    if m.proto.type == T.TYPE_MESSAGE:
                        out(f"            case {m.proto.number}: {self.view_from_c(m, '_c.pointee.' + escape_c(m.c_member), '.' + m.swift)}")
                    else:
                        out(f"            case {m.proto.number}: .{m.swift}({self.from_c(m, '_c.pointee.' + escape_c(m.c_member))})")
                out("            default: nil", "            }", "        }", "")
                for m in o.fields:
                    member = "_c.pointee." + escape_c(m.c_member)
                    value = self.view_from_c(m, member) if m.proto.type == T.TYPE_MESSAGE else self.from_c(m, member)
                    out(f"        /// `{o.swift}` when it holds `{m.json}`, else nil (cheaper than matching `{o.swift}`).",
                        f"        public var {m.swift}: {self.view_value_type(m)}? {{",
                        f"            _c.pointee.{escape_c(m.c_quantifier)}.rawValue == {m.proto.number} ? {value} : nil",
                        "        }", "")
                continue
            out(*self.field_doc(f, comments, "        "))
            if o is not None:  # presence oneof
                member_case = f"_c.pointee.{escape_c(f.c_quantifier)}.rawValue == {f.proto.number}"
                value = (self.view_from_c(f, "_c.pointee." + escape_c(f.c_member)) if f.proto.type == T.TYPE_MESSAGE
                         else self.from_c(f, "_c.pointee." + escape_c(f.c_member)))
                out(f"        public var {f.swift}: {self.view_value_type(f)}? {{",
                    f"            {member_case} ? {value} : nil",
                    "        }", "")
                continue
            if f.is_map:
                out(f"        public var {f.swift}: {self.property_type(f)} {{",
                    f"            var result: {self.property_type(f)} = [:]")
                out(*["            " + s.replace(f"self.{f.swift}[", "result[") for s in self.materialize_field(f, "_c")])
                out("            return result", "        }", "")
                continue
            typ, expr = self.view_property(f)
            out(f"        public var {f.swift}: {typ} {{ {expr} }}", "")
        for o in msg.oneofs:
            if o.presence:
                continue
            out(*comments.doc(msg.path + [8, o.index], "        ", f"The `{o.name}` oneof, as views."))
            out(f"        public enum {o.type_name}: Sendable {{")
            for f in o.fields:
                out(f"            case {f.swift}({self.view_value_type(f)})")
            out("        }", "")
        if out.lines[-1] == "":
            out.lines.pop()
        out("    }", "}", "")

    def emit_service(self, out: Out, f: pb.FileDescriptorProto, index: int, comments: Comments):
        s = f.service[index]
        full = f"{f.package}.{s.name}"
        c_prefix = self.m.c.services.get(full)
        if c_prefix is None:
            raise GenError(f"{full}: no protoc-c service descriptor found")
        out(*(comments.doc([6, index], "", None) or [f"/// The `{full}` service."]))
        out(f"public enum {s.name}Service {{",
            f'    /// Full proto name: `"{full}"`.',
            f'    public static let name = "{full}"',
            "",
            f"    /// Read at run time from protobuf-c's `{c_prefix}__descriptor`.",
            f"    public static let descriptor = WireServiceDescriptor({c_prefix}__descriptor)",
            "")
        names = []
        for i, method in enumerate(s.method):
            if method.client_streaming or method.server_streaming:
                raise GenError(f"{full}.{method.name}: streaming methods are not supported")
            request = self.m.messages[method.input_type.lstrip(".")].swift
            response = self.m.messages[method.output_type.lstrip(".")].swift
            name = escape(method.name[:1].lower() + method.name[1:])
            names.append(name)
            out(*comments.doc([6, index, 2, i], "    ", f"`/{full}/{method.name}`."))
            out(f"    public static let {name} = WireMethod<{request}, {response}>(",
                f'        service: "{full}", name: "{method.name}")',
                "")
        out("    /// The typed methods above, as descriptors (equal to `descriptor.methods`).",
            f"    public static let methods: [WireMethodDescriptor] = [{', '.join(n + '.descriptor' for n in names)}]",
            "}",
            "")

    def file(self, f: pb.FileDescriptorProto) -> str:
        out = Out()
        comments = self.m.comments[f.name]
        self.file_header(out, f.name)
        for e in f.enum_type:
            self.emit_enum(out, self.m.enums[f"{f.package}.{e.name}"], comments)
        for mp in f.message_type:
            self.emit_message(out, self.m.messages[f"{f.package}.{mp.name}"], comments)
        for i in range(len(f.service)):
            self.emit_service(out, f, i, comments)
        return out.text()

    def registry(self) -> str:
        out = Out()
        out(f"// Generated by {GENERATOR} from every .proto under protos/. DO NOT EDIT.",
            "// Regenerate with scripts/generate-protos; see docs/WIRE.md.",
            "",
            "/// Every message type and service of the protos, by full proto name.",
            "public enum WireRegistry {")
        messages = sorted((m for m in self.m.messages.values() if not m.map_entry), key=lambda m: m.full)
        out("    /// Full proto names of every message, sorted.",
            "    public static let messageNames: [String] = [")
        for m in messages:
            out(f'        "{m.full}",')
        out("    ]",
            "",
            "    /// The message type whose full proto name is `name` (e.g. `\"trialtransit.v1.PatientReferred\"`).",
            "    public static func messageType(named name: String) -> (any WireMessage.Type)? {",
            "        switch name {")
        for m in messages:
            out(f'        case "{m.full}": {m.swift}.self')
        out("        default: nil", "        }", "    }", "")
        services = sorted(((f, s) for f in self.m.files for s in f.service), key=lambda p: f"{p[0].package}.{p[1].name}")
        out("    /// Every service, sorted by full name.",
            "    public static let services: [WireServiceDescriptor] = [")
        for _, s in services:
            out(f"        {s.name}Service.descriptor,")
        out("    ]",
            "",
            "    /// The proto3 JSON shape of the message type whose full proto name is `name`.",
            "    public static func schema(named name: String) -> WireMessageSchema? {",
            "        schemas[name]",
            "    }",
            "",
            "    private static let schemas: [String: WireMessageSchema] = [")
        for m in messages:
            out(f'        "{m.full}": WireMessageSchema(',
                f'            name: "{m.full}",')
            if m.fields:
                out("            fields: [")
                for f in m.fields:
                    oneof = f', oneof: "{f.oneof.name}"' if f.oneof is not None else ""
                    repeated = ", repeated: true" if f.repeated else ""
                    out(f'                WireFieldSchema(protoName: "{f.name}", jsonName: "{f.json}", '
                        f"kind: {self.schema_kind(f)}{repeated}{oneof}),")
                out("            ],")
            else:
                out("            fields: [],")
            oneofs = [o for o in m.oneofs if not o.presence]
            if oneofs:
                out("            oneofs: [")
                for o in oneofs:
                    members = ", ".join(f'"{f.json}"' for f in o.fields)
                    out(f'                WireOneofSchema(name: "{lower_camel(o.name)}", members: [{members}]),')
                out("            ]),")
            else:
                out("            oneofs: []),")
        out("    ]", "}")
        return out.text()

    def schema_kind(self, f: Field) -> str:
        """The `WireFieldSchema.Kind` expression of a field (a map by its entry's key and value)."""
        if f.is_map:
            return f'.map(key: "{SCALAR_NAMES[f.map_key.proto.type]}", value: {self.schema_kind(f.map_value)})'
        if f.proto.type == T.TYPE_MESSAGE:
            return f'.message("{self.m.message(f).full}")'
        if f.proto.type == T.TYPE_ENUM:
            e = self.m.enum(f)
            zero = next((v.name for v in e.proto.value if v.number == 0), "0")
            return f'.enumeration("{e.full}", zero: "{zero}")'
        return f'.scalar("{SCALAR_NAMES[f.proto.type]}")'


# ---------------------------------------------------------------------------------------------


def descriptor_set(proto_root: str, protos: list[str]) -> pb.FileDescriptorSet:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "set.pb")
        subprocess.run(
            ["protoc", "-I", proto_root, "--include_source_info", "--include_imports",
             f"--descriptor_set_out={path}"] + [os.path.join(proto_root, p) for p in protos],
            check=True)
        fds = pb.FileDescriptorSet()
        with open(path, "rb") as fh:
            fds.ParseFromString(fh.read())
        return fds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proto-root", default="protos")
    parser.add_argument("--c-dir", default="Sources/CTransitProto", help="protoc-c output (the C target)")
    parser.add_argument("--out", required=True, help="output directory (replaced entirely)")
    parser.add_argument("protos", nargs="*", help="protos relative to --proto-root (default: all)")
    args = parser.parse_args()

    protos = args.protos or sorted(
        os.path.relpath(os.path.join(root, name), args.proto_root)
        for root, _, files in os.walk(args.proto_root) for name in files if name.endswith(".proto"))
    try:
        model = Model(descriptor_set(args.proto_root, protos), read_c_names(args.c_dir))
        gen = Gen(model)
        outputs = {}
        for f in model.files:
            outputs[f.name[: -len(".proto")] + ".pb.swift"] = gen.file(f)
        outputs["WireRegistry.pb.swift"] = gen.registry()
    except GenError as error:
        print(f"gen-swift-wire: {error}", file=sys.stderr)
        return 1
    for rel, text in sorted(outputs.items()):
        path = os.path.join(args.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
