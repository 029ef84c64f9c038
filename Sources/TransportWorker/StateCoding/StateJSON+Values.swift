import TransportBooking

// The small value types shared by bookings and intakes. Keys in UTF-8 byte order.

extension StateJSONWriter {
    /// Writes `"key":value` when `value` is present (synthesized `Encodable` leaves nil out).
    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    mutating func field(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        int(value)
    }

    mutating func field(_ key: StaticString, _ value: UInt32?) {
        guard let value else { return }
        self.key(key)
        uint(value)
    }

    mutating func field(_ key: StaticString, _ value: UInt64?) {
        guard let value else { return }
        self.key(key)
        uint(value)
    }

    mutating func window(_ window: TimeWindow) {
        beginObject()
        key("endAt")
        int(window.endAt)
        key("startAt")
        int(window.startAt)
        endObject()
    }

    mutating func needs(_ needs: RideNeeds) {
        beginObject()
        key("companions")
        uint(needs.companions)
        key("language")
        string(needs.language)
        key("mobility")
        string(needs.mobility.rawValue)
        endObject()
    }

    mutating func location(_ location: Location) throws(Unrepresentable) {
        beginObject()
        key("addressText")
        string(location.addressText)
        key("point")
        beginObject()
        key("latitude")
        try double(location.point.latitude)
        key("longitude")
        try double(location.point.longitude)
        endObject()
        endObject()
    }

    /// An array of strings in the given order.
    mutating func strings(_ values: some Sequence<String>) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }
}

extension StateJSONReader {
    mutating func window() throws(Unreadable) -> TimeWindow {
        var startAt: Int64?
        var endAt: Int64?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "startAt": startAt = try int64()
            case "endAt": endAt = try int64()
            default: try skipValue()
            }
        }
        guard let startAt, let endAt else { throw Unreadable() }
        return TimeWindow(startAt: startAt, endAt: endAt)
    }

    mutating func needs() throws(Unreadable) -> RideNeeds {
        var mobility: Mobility?
        var companions: UInt32?
        var language: String?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "mobility": mobility = try value(Mobility.self)
            case "companions": companions = try uint32()
            case "language": language = try string()
            default: try skipValue()
            }
        }
        guard let mobility, let companions, let language else { throw Unreadable() }
        return RideNeeds(mobility: mobility, companions: companions, language: language)
    }

    mutating func location() throws(Unreadable) -> Location {
        var point: GeoPoint?
        var addressText: String?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "point": point = try geoPoint()
            case "addressText": addressText = try string()
            default: try skipValue()
            }
        }
        guard let point, let addressText else { throw Unreadable() }
        return Location(point: point, addressText: addressText)
    }

    mutating func geoPoint() throws(Unreadable) -> GeoPoint {
        var latitude: Double?
        var longitude: Double?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "latitude": latitude = try double()
            case "longitude": longitude = try double()
            default: try skipValue()
            }
        }
        guard let latitude, let longitude else { throw Unreadable() }
        return GeoPoint(latitude: latitude, longitude: longitude)
    }

    mutating func strings() throws(Unreadable) -> [String] {
        var values: [String] = []
        try beginArray()
        var first = true
        while try nextElement(first: &first) { values.append(try string()) }
        return values
    }
}
