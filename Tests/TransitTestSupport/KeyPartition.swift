/// The partition that `murmur2_random`, TrialTransit's partitioner (docs/CONTRACT.md §2,
/// "Partitioning"), and the Java client's default give a non-empty key: murmur2 of the key bytes,
/// sign bit cleared, modulo the partition count. Lets a test choose keys that land on different
/// partitions before it publishes them.
public func keyPartition(_ key: String, partitions: Int) -> Int32 {
    let data = Array(key.utf8)
    let m: UInt32 = 0x5bd1_e995
    var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: data.count)
    let whole = data.count & ~3
    var index = 0
    while index < whole {
        var k =
            UInt32(data[index]) | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2]) << 16
            | UInt32(data[index + 3]) << 24
        k &*= m
        k ^= k >> 24
        k &*= m
        h &*= m
        h ^= k
        index += 4
    }
    let rest = data.count & 3
    if rest == 3 { h ^= UInt32(data[whole + 2]) << 16 }
    if rest >= 2 { h ^= UInt32(data[whole + 1]) << 8 }
    if rest >= 1 {
        h ^= UInt32(data[whole])
        h &*= m
    }
    h ^= h >> 13
    h &*= m
    h ^= h >> 15
    return Int32((h & 0x7fff_ffff) % UInt32(partitions))
}
