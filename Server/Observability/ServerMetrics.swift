import Foundation
import Prometheus

/// The server's Prometheus metrics, served at `GET /metrics` in the text exposition format.
///
/// One registry per server (so servers in one test process do not mix); `briefd serve` also
/// makes it the process's swift-metrics backend, so libraries that report through swift-metrics
/// land in the same output.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let pushes: Counter
    let pulls: Counter
    let pulledRecords: Counter
    let accepted: Counter
    let refused: Counter
    let conflicts: Counter
    let failedLogins: Counter
    let openStreams: Gauge
    /// Latency buckets: 1 ms … 10 s.
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func counter(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(
                descriptor: .init(namespace: "briefd", metricName: name, unitName: "total", helpText: help))
        }
        pushes = counter("pushes", "Push requests answered")
        pulls = counter("pulls", "Pull requests answered")
        pulledRecords = counter("pulled_records", "Records sent in pull pages")
        accepted = counter("mutations_accepted", "Mutations merged")
        refused = counter("mutations_refused", "Mutations refused (policy, role, clock)")
        conflicts = counter("conflicts_made", "Conflict records made by merges")
        failedLogins = counter("failed_logins", "Login attempts refused (wrong password or rate limit)")
        openStreams = registry.makeGauge(
            descriptor: .init(
                namespace: "briefd", metricName: "event_streams", unitName: "open",
                helpText: "Open GET /v1/events streams"))
    }

    /// Counts one request of `route` (an endpoint template, or `other`) answered with `status`.
    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "briefd", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered"),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "briefd", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time to answer, to the end of the response head"),
            labels: [("route", route), ("method", method)], buckets: Self.buckets
        ).record(duration)
    }

    func pushed(_ outcome: PushOutcome) {
        pushes.increment()
        let refusedCount = outcome.results.filter { $0.status == .rejected }.count
        accepted.increment(by: Int64(outcome.results.count - refusedCount))
        refused.increment(by: Int64(refusedCount))
        conflicts.increment(by: Int64(outcome.conflicts))
    }

    func pulled(records: Int) {
        pulls.increment()
        pulledRecords.increment(by: Int64(records))
    }

    /// Sets the gauges read at scrape time.
    func set(stats: StoreStats, lastBackup: Int64?) {
        func gauge(_ name: String, _ unit: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .init(namespace: "briefd", metricName: name, unitName: unit, helpText: help))
        }
        gauge("store_size", "bytes", "Size of the database").set(Double(stats.bytes))
        gauge("records", "", "Records stored (briefings, annotations, conflicts)").set(Double(stats.records))
        gauge("conflict_records", "", "Conflict records stored").set(Double(stats.conflicts))
        gauge("highest_sequence", "", "Highest change sequence number").set(Double(stats.highestSeq))
        if let lastBackup {
            gauge("last_backup", "timestamp_seconds", "When the last scheduled backup was verified")
                .set(Double(lastBackup) / 1000)
        }
    }

    /// The exposition text.
    func exposition() -> Data { Data(registry.emitToBuffer()) }
}
