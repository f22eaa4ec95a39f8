/// The release this build is: printed by `brief --version` and `briefd --version`, logged when
/// `briefd` starts, and compared by nothing (the wire format has its own version, `/v1`).
public enum BriefSyncVersion {
    public static let number = "0.5.0"
}
