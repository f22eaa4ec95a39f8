import TestSupport

/// One step of a simulation. Choices are numbers resolved against the state when the step runs,
/// so any sub-list of steps is still a valid simulation (that is what shrinking relies on).
public enum SimulationOp: Sendable, Hashable, CustomStringConvertible {
    case importDoc(replica: Int, doc: Int)
    case editSection(replica: Int, pick: UInt64)
    case annotate(replica: Int, pick: UInt64)
    case editNote(replica: Int, pick: UInt64)
    case tag(replica: Int, pick: UInt64)
    case untag(replica: Int, pick: UInt64)
    case delete(replica: Int, pick: UInt64)
    case resolve(replica: Int, pick: UInt64)
    case sync(replica: Int, faults: UInt64)
    case restart(replica: Int)
    /// The replica's user logs in (a replica that started offline, or joins late; a no-op for
    /// one already logged in).
    case login(replica: Int)
    /// The team's owner removes the user from the team, or adds them back with their role.
    case membership(replica: Int)

    public var description: String {
        switch self {
        case .importDoc(let r, let d): return "r\(r) import doc\(d)"
        case .editSection(let r, let p): return "r\(r) edit-section \(p)"
        case .annotate(let r, let p): return "r\(r) annotate \(p)"
        case .editNote(let r, let p): return "r\(r) edit-note \(p)"
        case .tag(let r, let p): return "r\(r) tag \(p)"
        case .untag(let r, let p): return "r\(r) untag \(p)"
        case .delete(let r, let p): return "r\(r) delete \(p)"
        case .resolve(let r, let p): return "r\(r) resolve \(p)"
        case .sync(let r, let f): return "r\(r) sync (faults \(f))"
        case .restart(let r): return "r\(r) restart"
        case .login(let r): return "r\(r) login"
        case .membership(let r): return "r\(r) toggle membership"
        }
    }

    /// The replica the step acts on.
    public var replica: Int? {
        switch self {
        case .importDoc(let r, _), .editSection(let r, _), .annotate(let r, _), .editNote(let r, _), .tag(let r, _),
            .untag(let r, _), .delete(let r, _), .resolve(let r, _), .sync(let r, _):
            return r
        case .restart(let r), .login(let r), .membership(let r):
            return r
        }
    }

    /// A random program for `replicas` replicas.
    public static func program(seed: UInt64, replicas: Int, length: Int) -> [SimulationOp] {
        var rng = SeededGenerator(seed: seed)
        var ops: [SimulationOp] = [.importDoc(replica: 0, doc: 0), .sync(replica: 0, faults: 0)]
        for _ in 0..<length {
            let r = Int.random(in: 0..<replicas, using: &rng)
            let p = rng.next()
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<6: ops.append(.importDoc(replica: r, doc: Int(p % 4)))
            case 6..<28: ops.append(.editSection(replica: r, pick: p))
            case 28..<40: ops.append(.annotate(replica: r, pick: p))
            case 40..<50: ops.append(.editNote(replica: r, pick: p))
            case 50..<55: ops.append(.tag(replica: r, pick: p))
            case 55..<58: ops.append(.untag(replica: r, pick: p))
            case 58..<62: ops.append(.delete(replica: r, pick: p))
            case 62..<67: ops.append(.resolve(replica: r, pick: p))
            case 67..<92: ops.append(.sync(replica: r, faults: p))
            case 92..<95: ops.append(.restart(replica: r))
            case 95..<98: ops.append(.login(replica: r))
            default: ops.append(r == 0 ? .sync(replica: r, faults: p) : .membership(replica: r))
            }
        }
        return ops
    }
}
