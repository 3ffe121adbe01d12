import Foundation
import Hummingbird
import NIOCore
import TributaryAPI

/// `/api/v1/fleet/config` (role `admin`), docs/fleet-config.md:
///
/// - `GET /api/v1/fleet/config`: every group (`FleetConfigList`).
/// - `GET /api/v1/fleet/config/{group}`: versions, rollout, agents (`FleetConfigGroupStatus`).
/// - `PUT /api/v1/fleet/config/{group}[?canary=N]`: the body (YAML) becomes
///   the next version after the agent's validator accepted it (400 with
///   its message otherwise); `canary` is a percentage (default 100).
/// - `POST /api/v1/fleet/config/{group}/promote?canary=N` (default 100).
/// - `POST /api/v1/fleet/config/{group}/rollback`.
/// - `GET /api/v1/fleet/config/{group}/versions/{version}`: the YAML body.
extension NodeAPI {
    func fleetConfig(_ endpoint: NodeEndpoint, _ request: Request, _ context: NodeRequestContext) async -> Response {
        guard let fleet = fleetConfig else {
            return APIFailure(.notFound, "not_found", "this node does not serve central configuration").response
        }
        let group = context.parameters.get("group") ?? ""
        do throws(FleetConfigRefusal) {
            switch endpoint {
            case .fleetConfigList:
                return .json(await fleet.list())
            case .fleetConfigGroup:
                let status = await fleet.status(group: group)
                guard status.revision > 0 || !status.agents.isEmpty else {
                    throw .notFound("group \(group) has no central configuration and no agent reported for it; push one with trib fleet config push --group \(group) FILE")
                }
                return .json(status)
            case .fleetConfigPush:
                let canary = try Self.canary(request)
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: FleetConfigService.maxBodyBytes + 1)
                } catch {
                    throw .badRequest("the configuration is over the limit of \(FleetConfigService.maxBodyBytes) bytes, or the upload failed: \(error)")
                }
                guard let text = body.getString(at: body.readerIndex, length: body.readableBytes), text.utf8.count == body.readableBytes else {
                    throw .badRequest("the configuration must be UTF-8 YAML text")
                }
                return .json(try await fleet.push(group: group, body: text, canary: canary))
            case .fleetConfigPromote:
                return .json(try await fleet.promote(group: group, canary: try Self.canary(request)))
            case .fleetConfigRollback:
                return .json(try await fleet.rollback(group: group))
            case .fleetConfigVersion:
                let text = context.parameters.get("version") ?? ""
                guard let version = UInt64(text), let body = await fleet.body(group: group, version: version) else {
                    throw .notFound("group \(group) has no version \(text); trib fleet config status --group \(group) lists its versions")
                }
                return Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
            default:
                throw .notFound("not a central configuration endpoint")
            }
        } catch {
            let type = error.status == .badRequest ? "bad_data" : error.status == .notFound ? "not_found" : "unavailable"
            return APIFailure(error.status, type, error.message).response
        }
    }

    /// `?canary=N` or `N%`, 1–100; 100 without it.
    private static func canary(_ request: Request) throws(FleetConfigRefusal) -> Int {
        guard let text = request.uri.queryParameters.get("canary") else { return 100 }
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Int(digits), (1...100).contains(value) else {
            throw .badRequest("canary=\(text): give a percentage of the group's agents, 1–100")
        }
        return value
    }
}
