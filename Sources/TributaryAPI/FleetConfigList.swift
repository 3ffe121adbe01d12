/// `GET /api/v1/fleet/config`: every group with central configuration.
public struct FleetConfigList: Codable, Sendable, Equatable {
    public var groups: [FleetConfigGroupStatus]

    public init(groups: [FleetConfigGroupStatus]) {
        self.groups = groups
    }
}
