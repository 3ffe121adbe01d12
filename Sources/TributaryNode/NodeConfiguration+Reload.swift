extension NodeConfiguration {
    /// The settings of `newer` that differ from these and that a running
    /// node cannot take over (SIGHUP re-reads TLS files and the topology
    /// only): each as `key (what to do)`, for the log.
    public func changesNeedingRestart(_ newer: NodeConfiguration) -> [String] {
        var changed: [String] = []
        func check(_ key: String, _ differs: Bool) {
            if differs { changed.append(key) }
        }
        check("node_id", nodeID != newer.nodeID)
        check("listen", listenHost != newer.listenHost || listenPort != newer.listenPort)
        check("http_listen", httpHost != newer.httpHost || httpPort != newer.httpPort)
        check("data_dir", dataDirectory != newer.dataDirectory)
        check("insecure", insecure != newer.insecure)
        // Certificate and key contents are reloaded; which files is fixed.
        check("tls (file names or options)", tls != newer.tls)
        check("tenants", credentials != newer.credentials || storage.tenantRetention != newer.storage.tenantRetention
              || tenantLimits != newer.tenantLimits)
        check("http", http != newer.http)
        var oldStorage = storage
        var newStorage = newer.storage
        oldStorage.tenantRetention = [:]
        newStorage.tenantRetention = [:]
        check("storage", oldStorage != newStorage || maxDiskBytes != newer.maxDiskBytes || minFreeBytes != newer.minFreeBytes)
        check("limits", limits != newer.limits || window != newer.window || recordBounds != newer.recordBounds)
        check("query", query != newer.query)
        check("alerting (receivers and their settings; rule files are reloaded)", alerting != newer.alerting)
        switch (cluster, newer.cluster) {
        case (nil, nil): break
        case (let old?, let new?):
            check("cluster.topology (the file's path)", old.topologyPath != new.topologyPath)
            check("cluster.peer_listen", old.peerHost != new.peerHost || old.peerPort != new.peerPort)
            check("cluster.request_timeout, repair_interval, max_hint_bytes or hint_replay_interval",
                  old.requestTimeout != new.requestTimeout || old.repairInterval != new.repairInterval || old.maxHintBytes != new.maxHintBytes
                      || old.hintReplayInterval != new.hintReplayInterval)
        default:
            check("cluster (joining or leaving a cluster)", true)
        }
        return changed
    }
}
