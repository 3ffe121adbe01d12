import Logging
import TributaryAlerting

extension NodeService {
    /// The rule manager and its notifier, when node.yaml names rule files
    /// or receivers; nil otherwise (the alerts and rules APIs answer empty).
    static func makeRules(_ configuration: NodeConfiguration, store: IngestStore, cluster: ClusterNode?, queries: QueryScheduler,
                          logger: Logger) throws -> RuleManager? {
        let settings = configuration.alerting
        guard !configuration.rules.isEmpty || !settings.alertmanagers.isEmpty || !settings.webhooks.isEmpty else { return nil }
        let notifier = try AlertNotifier(settings: settings, directory: configuration.dataDirectory + "/alerting/outbox", logger: logger)
        let scheme = configuration.tls == nil ? "http" : "https"
        let host = configuration.httpHost == "0.0.0.0" || configuration.httpHost == "::" ? "localhost" : configuration.httpHost
        let runner = RuleQueryRunner(store: store, cluster: cluster, queries: queries)
        let incidents = IncidentService(runner: runner, logger: logger)
        var services = RuleGroupEvaluator.Services(
            nodeID: configuration.nodeID, runner: runner,
            writer: RuleWriter(store: store, cluster: cluster, nodeID: configuration.nodeID), notifier: notifier, settings: settings,
            defaultExternalURL: "\(scheme)://\(host):\(configuration.httpPort)", logger: logger)
        services.explain = { alert, group, finding in await incidents.explain(alert, group: group, finding: finding) }
        return RuleManager(services: services, cluster: cluster, incidents: incidents)
    }

    /// SIGHUP: evaluates the rule groups of `newer` (read again from the
    /// rule files); groups that remain keep their alerts and timers.
    public func reloadRules(_ newer: NodeConfiguration) async {
        guard let rules = ruleManager else {
            if !newer.rules.isEmpty {
                logger.warning("rule files were added to a node started without rules or alerting: restart it to evaluate them")
            }
            return
        }
        await rules.reload(newer.rules)
    }
}
