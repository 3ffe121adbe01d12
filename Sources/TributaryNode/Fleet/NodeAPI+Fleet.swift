import Foundation
import Hummingbird
import NIOCore
import TributaryAPI
import TributaryHTTPClient

/// `GET /api/v1/fleet`, `/api/v1/fleet/agents/{id}`, `/api/v1/fleet/sources`
/// and `/api/v1/fleet/audit` for the credential's tenant (docs/fleet.md).
///
/// Each node knows the agents connected to it and the sources of the
/// records it received, so any node answers for the cluster by asking
/// every other active node for its own view (`?local=true`, with the
/// caller's credentials, over HTTPS trusting the cluster's CA, as
/// `/api/v1/alerts` does) and merging (`FleetMerge`); a node that does not
/// answer is named in `warnings`.
extension NodeAPI {
    func fleet(_ request: Request, tenant: String) async -> Response {
        guard let fleet else { return .json(FleetResponse(agents: [])) }
        let parameters = request.uri.queryParameters
        var (agents, warnings) = await clusterAgents(request, tenant: tenant, fleet: fleet)
        if let state = parameters.get("state"), !state.isEmpty { agents = agents.filter { $0.state == state } }
        if let version = parameters.get("version"), !version.isEmpty { agents = agents.filter { $0.version == version } }
        for selector in parameters.getAll("label") where !selector.isEmpty {
            guard let equals = selector.firstIndex(of: "=") else {
                return APIFailure(.badRequest, "bad_data", "label=\(selector): expected NAME=VALUE, e.g. label=env=prod").response
            }
            let name = String(selector[..<equals])
            let value = String(selector[selector.index(after: equals)...])
            agents = agents.filter { $0.labels[name] == value }
        }
        return .json(FleetResponse(agents: agents, warnings: warnings.isEmpty ? nil : warnings))
    }

    func fleetAgent(_ request: Request, context: NodeRequestContext, tenant: String) async -> Response {
        let wanted = context.parameters.get("id") ?? ""
        guard let fleet else { return APIFailure(.notFound, "not_found", "no agent \(wanted): this node keeps no fleet").response }
        let (agents, warnings) = await clusterAgents(request, tenant: tenant, fleet: fleet)
        let byHost = agents.filter { $0.host == wanted }
        guard let agent = agents.first(where: { $0.id == wanted }) ?? (byHost.count == 1 ? byHost.first : nil) else {
            let hint = byHost.count > 1 ? "\(byHost.count) agents run on host \(wanted): name one by id (\(byHost.map(\.id).joined(separator: ", ")))"
                                        : "no agent has id or host \(wanted); `trib fleet list` shows them"
            return APIFailure(.notFound, "not_found", hint).response
        }
        return .json(FleetAgentResponse(agent: agent, warnings: warnings.isEmpty ? nil : warnings))
    }

    func fleetSources(_ request: Request, tenant: String) async -> Response {
        guard let fleet else { return .json(FleetSourcesResponse(sources: [])) }
        var (sources, warnings) = await clusterSources(request, tenant: tenant, fleet: fleet)
        if let silent = request.uri.queryParameters.get("silent"), silent == "true" || silent == "1" {
            sources = sources.filter(\.silent)
        }
        return .json(FleetSourcesResponse(sources: sources, warnings: warnings.isEmpty ? nil : warnings))
    }

    func fleetAudit(_ request: Request, tenant: String) async -> Response {
        guard let fleet else { return .json(FleetAuditResponse(findings: [])) }
        async let agents = clusterAgents(request, tenant: tenant, fleet: fleet)
        async let sources = clusterSources(request, tenant: tenant, fleet: fleet)
        let (agentList, agentWarnings) = await agents
        let (sourceList, sourceWarnings) = await sources
        let findings = FleetAudit.findings(agents: agentList, sources: sourceList, now: FleetRegistry.now,
                                           gapAfter: FleetRegistry.nanoseconds(fleet.settings.missingAfter))
        let warnings = Array(Set(agentWarnings + sourceWarnings)).sorted()
        return .json(FleetAuditResponse(findings: findings, warnings: warnings.isEmpty ? nil : warnings))
    }

    // MARK: Gathering

    private static func isLocal(_ request: Request) -> Bool {
        request.uri.queryParameters.get("local").map { $0 == "true" || $0 == "1" } ?? false
    }

    private func clusterAgents(_ request: Request, tenant: String, fleet: FleetRegistry) async -> ([FleetAgent], [String]) {
        let now = FleetRegistry.now
        let local = fleet.agents(tenant: tenant, at: now)
        guard !Self.isLocal(request), let cluster else { return (local, []) }
        let (remote, warnings) = await gather(FleetResponse.self, path: NodeEndpoint.fleet.path + "?local=true", request: request, cluster: cluster)
        return (FleetMerge.agents([local] + remote.map(\.data.agents), settings: fleet.settings, now: now), warnings)
    }

    private func clusterSources(_ request: Request, tenant: String, fleet: FleetRegistry) async -> ([FleetSource], [String]) {
        let now = FleetRegistry.now
        let local = fleet.sources(tenant: tenant, at: now)
        guard !Self.isLocal(request), let cluster else { return (local, []) }
        let (remote, warnings) = await gather(FleetSourcesResponse.self, path: NodeEndpoint.fleetSources.path + "?local=true",
                                              request: request, cluster: cluster)
        return (FleetMerge.sources([local] + remote.map(\.data.sources), settings: fleet.settings, now: now), warnings)
    }

    /// Every other active node's answer to `path` (at most 64 MiB each, 5 s).
    private func gather<T: Decodable & Sendable>(_ type: T.Type, path: String, request: Request,
                                                  cluster: ClusterNode) async -> ([T], [String]) {
        let authorization = request.headers[.authorization]
        let tls = cluster.peerClientTLS.map { HTTPGetClient.TLS(context: $0) }
        let pool = queries.pool
        var answers: [T] = []
        var warnings: [String] = []
        await withTaskGroup(of: Result<T, AlertsFetchFailed>.self) { group in
            for member in cluster.activeMembers where member != cluster.nodeID {
                let address = cluster.httpAddress(of: member)
                group.addTask {
                    guard let address, let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
                        return .failure(AlertsFetchFailed(reason: "node \(member): the topology has no http: address for it; its agents and sources are not listed"))
                    }
                    let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    let headers = authorization.map { ["Authorization": $0] } ?? [:]
                    do {
                        let (status, body) = try await pool.runIfActive { () throws -> (Int, [UInt8]) in
                            var status = 0
                            var body: [UInt8] = []
                            try HTTPGetClient.get(host: host, port: port, path: path, headers: headers, tls: tls, timeoutSeconds: 5,
                                                  status: { status = $0 }) { piece in
                                body += piece
                                guard body.count <= 64 << 20 else { throw AlertsFetchFailed(reason: "answer larger than 64 MiB") }
                            }
                            return (status, body)
                        }
                        guard status == 200 else { return .failure(AlertsFetchFailed(reason: "node \(member) answered HTTP \(status); its agents and sources are not listed")) }
                        return .success(try JSONDecoder().decode(T.self, from: Data(body)))
                    } catch {
                        return .failure(AlertsFetchFailed(reason: "node \(member) did not answer (\(error)); its agents and sources are not listed"))
                    }
                }
            }
            for await result in group {
                switch result {
                case .success(let answer): answers.append(answer)
                case .failure(let failure): warnings.append(failure.reason)
                }
            }
        }
        return (answers, warnings.sorted())
    }
}
