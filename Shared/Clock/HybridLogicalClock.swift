/// A hybrid logical clock (Kulkarni et al., 2014) for one replica.
///
/// The clock never goes backwards, even when the wall clock does: a reading is the maximum of the
/// wall time and the last reading, with a counter to separate events in the same millisecond.
/// Receiving a remote stamp moves the clock past it, so causally later writes always carry larger
/// stamps. Remote stamps more than ``maxDrift`` ahead of the local wall clock are refused, so one
/// replica with a wrong clock cannot drag everyone's clocks into the future.
///
/// The wall clock is passed in by the caller; the clock itself reads no global state.
public struct HybridLogicalClock: Sendable, Hashable {
    /// The replica whose stamps this clock issues.
    public let replica: String
    /// The last stamp issued or observed.
    public private(set) var last: Stamp
    /// How far ahead of the local wall clock a remote stamp may be, in milliseconds.
    public var maxDrift: Int64

    public init(replica: String, last: Stamp? = nil, maxDrift: Int64 = 5 * 60 * 1000) {
        self.replica = replica
        self.last = last ?? Stamp(physical: 0, counter: 0, replica: replica)
        self.maxDrift = maxDrift
    }

    /// Issues a new stamp for a local event at wall time `wall` (ms since 1970).
    public mutating func tick(wall: Int64) -> Stamp {
        if wall > last.physical {
            last = Stamp(physical: wall, counter: 0, replica: replica)
        } else {
            last = Self.next(after: last.physical, counter: last.counter, replica: replica)
        }
        return last
    }

    /// Observes a stamp from another replica; afterwards every ``tick(wall:)`` is greater than it.
    ///
    /// - Throws: ``ClockDriftError`` if `remote` is more than ``maxDrift`` ahead of `wall`; the clock
    ///   is unchanged then.
    public mutating func receive(_ remote: Stamp, wall: Int64) throws(ClockDriftError) {
        guard remote.physical <= wall + maxDrift else {
            throw ClockDriftError(remote: remote, wall: wall, maxDrift: maxDrift)
        }
        let physical = max(wall, last.physical, remote.physical)
        if physical == last.physical && physical == remote.physical {
            last = Self.next(after: physical, counter: max(last.counter, remote.counter), replica: replica)
        } else if physical == last.physical {
            last = Self.next(after: physical, counter: last.counter, replica: replica)
        } else if physical == remote.physical {
            last = Self.next(after: physical, counter: remote.counter, replica: replica)
        } else {
            last = Stamp(physical: physical, counter: 0, replica: replica)
        }
    }

    /// The stamp after (`physical`, `counter`). A counter at its maximum (only a hostile or broken
    /// peer gets there) moves physical time on by one millisecond instead of trapping.
    static func next(after physical: Int64, counter: UInt32, replica: String) -> Stamp {
        if counter == .max {
            return Stamp(physical: physical &+ 1, counter: 0, replica: replica)
        }
        return Stamp(physical: physical, counter: counter + 1, replica: replica)
    }
}

/// A remote stamp was too far ahead of the local wall clock to be trusted.
public struct ClockDriftError: Error, Sendable, Hashable, CustomStringConvertible {
    public let remote: Stamp
    public let wall: Int64
    public let maxDrift: Int64

    public var description: String {
        let ahead = (remote.physical - wall) / 1000
        return "stamp \(remote) is \(ahead) s ahead of this clock (limit \(maxDrift / 1000) s)"
    }
}
