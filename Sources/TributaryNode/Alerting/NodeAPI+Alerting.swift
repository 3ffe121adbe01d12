import Foundation
import Hummingbird
import NIOCore
import TributaryAPI
import TributaryHTTPClient

/// `GET /api/v1/alerts` and `GET /api/v1/rules` in Prometheus' shapes,
/// for the credential's tenant. A node without rules answers empty lists.
///
/// In a cluster each group's alerts live on the node that evaluates it, so
/// `/api/v1/alerts` asks those nodes for theirs (`?local=true`, with the
/// caller's credentials, over HTTPS trusting the cluster's CA) and merges
/// them; a node that does not answer is named in `warnings`.
extension NodeAPI {
    func alerts(_ request: Request, tenant: String) async -> Response {
        let parameters = request.uri.queryParameters
        let resolved = parameters.get("resolved").map { $0 == "true" || $0 == "1" } ?? false
        let localOnly = parameters.get("local").map { $0 == "true" || $0 == "1" } ?? false
        guard let rules else { return Self.json(AlertsResponse(alerts: [])) }
        var answer = await rules.alerts(tenant: tenant, resolved: resolved)
        guard !localOnly, let cluster else { return Self.json(answer) }
        var warnings: [String] = []
        var seen = Set(answer.data.alerts.map { Self.identity($0) })
        let credentials = request.headers[.authorization]
        for owner in await rules.otherOwners(tenant: tenant).sorted() {
            switch await Self.remoteAlerts(owner, cluster: cluster, resolved: resolved, authorization: credentials, pool: queries) {
            case .success(let remote):
                for alert in remote where seen.insert(Self.identity(alert)).inserted { answer.data.alerts.append(alert) }
            case .failure(let error):
                warnings.append("\(owner) evaluates some of the rule groups but did not answer (\(error)); their alerts are not listed")
            }
        }
        answer.data.alerts.sort { ($0.labels["alertname"] ?? "", $0.activeAt) < ($1.labels["alertname"] ?? "", $1.activeAt) }
        answer.warnings = warnings.isEmpty ? nil : warnings
        return Self.json(answer)
    }

    func rules(tenant: String) async -> Response {
        Self.json(await rules?.rules(tenant: tenant) ?? RulesResponse(groups: []))
    }

    private static func identity(_ alert: AlertStatus) -> String {
        alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "@" + alert.activeAt
    }

    /// `owner`'s own alerts (`/api/v1/alerts?local=true`), at most 64 MiB.
    private static func remoteAlerts(_ owner: String, cluster: ClusterNode, resolved: Bool, authorization: String?,
                                     pool: QueryScheduler) async -> Result<[AlertStatus], AlertsFetchFailed> {
        guard let address = cluster.httpAddress(of: owner), let colon = address.lastIndex(of: ":"),
              let port = Int(address[address.index(after: colon)...]) else {
            return .failure(AlertsFetchFailed(reason: "the topology has no http: address for it"))
        }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let tls = cluster.peerClientTLS.map { HTTPGetClient.TLS(context: $0) }
        let path = "/api/v1/alerts?local=true" + (resolved ? "&resolved=true" : "")
        let headers = authorization.map { ["Authorization": $0] } ?? [:]
        do {
            let (status, body) = try await pool.pool.runIfActive { () throws -> (Int, [UInt8]) in
                var status = 0
                var body: [UInt8] = []
                try HTTPGetClient.get(host: host, port: port, path: path, headers: headers, tls: tls, timeoutSeconds: 5,
                                      status: { status = $0 }) { piece in
                    body += piece
                    guard body.count <= 64 << 20 else { throw AlertsFetchFailed(reason: "answer larger than 64 MiB") }
                }
                return (status, body)
            }
            guard status == 200 else { return .failure(AlertsFetchFailed(reason: "HTTP \(status)")) }
            return .success(try JSONDecoder().decode(AlertsResponse.self, from: Data(body)).data.alerts)
        } catch let error as AlertsFetchFailed {
            return .failure(error)
        } catch {
            return .failure(AlertsFetchFailed(reason: "\(error)"))
        }
    }

    private static func json<T: Encodable>(_ value: T) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: AlertNotifier.encode(value) + [10])))
    }
}
