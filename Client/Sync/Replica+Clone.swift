extension Replica {
    /// Whether `brief clone` made this replica and has not finished its first full pull.
    public func isCloning() throws -> Bool { try syncMeta("clone") != nil }

    public func setCloning(_ cloning: Bool) throws { try setSyncMeta(["clone": cloning ? "1" : nil]) }
}
