import BriefSyncModel

/// A pushed mutation with the JSON a push stores for it and its shape checked, before the write
/// transaction.
///
/// Neither needs anything stored, and together they were two fifths of ``PushPipeline``'s CPU:
/// done here, on the pushing request's own task, they run beside other pushes instead of inside
/// the one writer that every push waits for.
package struct EncodedMutation: Sendable {
    package let mutation: Mutation
    /// The mutation as `mutations.body` stores it.
    package let body: String
    /// Its delta alone: the stored state of a new record that nothing merged into.
    package let delta: String
    /// ``MutationPolicy/shapeProblem(_:now:)`` of its delta at the time of the push.
    let shapeProblem: String?

    package init(_ mutation: Mutation, now: Int64) {
        let delta = WireJSON.bytes(mutation.delta)
        var writer = JSONWriter(capacity: delta.count + 160)
        mutation.write(to: &writer, deltaJSON: delta)
        self.mutation = mutation
        self.body = String(decoding: writer.bytes, as: UTF8.self)
        self.delta = String(decoding: delta, as: UTF8.self)
        self.shapeProblem = MutationPolicy.shapeProblem(mutation.delta, now: now)
    }
}
