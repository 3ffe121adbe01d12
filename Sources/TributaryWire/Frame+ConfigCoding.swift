import NIOCore

/// The payloads of the central configuration frames, `0x38`–`0x3B`
/// (`proto/PROTOCOL.md` section 12):
///
/// ```
/// CONFIG_REQUEST  string group, u64 version
/// CONFIG          string group, u64 version, u8 state (0 body, 1 unchanged, 2 none), string body
/// CONFIG_CHANGED  string group, u64 version
/// CONFIG_STATUS   string group, u64 version, u64 applied, string error
/// ```
extension Frame {
    func writeConfigPayload(into buffer: inout ByteBuffer) {
        switch self {
        case .configRequest(let request):
            buffer.writeWireString(request.group)
            buffer.writeInteger(request.version)
        case .config(let offer):
            buffer.writeWireString(offer.group)
            buffer.writeInteger(offer.version)
            buffer.writeInteger(offer.state.rawValue)
            buffer.writeWireString(offer.body)
        case .configChanged(let changed):
            buffer.writeWireString(changed.group)
            buffer.writeInteger(changed.version)
        case .configStatus(let status):
            buffer.writeWireString(status.group)
            buffer.writeInteger(status.version)
            buffer.writeInteger(status.applied)
            buffer.writeWireString(status.error)
        default:
            preconditionFailure("BUG: \(type) is not a central configuration frame")
        }
    }

    static func decodeConfig(_ type: FrameType, reader: inout WireReader, limits: WireLimits) throws(WireError) -> Frame {
        let name = type.description
        let group = try reader.readString("\(name).group", limit: ConfigRequest.maxGroupBytes)
        guard ConfigRequest.isValidGroup(group) else {
            throw .invalidValue(field: "\(name).group", reason: "\"\(group)\" must be 1–\(ConfigRequest.maxGroupBytes) letters, digits, '.', '_' or '-'")
        }
        let version = try reader.readU64("\(name).version")
        switch type {
        case .configRequest:
            return .configRequest(ConfigRequest(group: group, version: version))
        case .config:
            let raw = try reader.readU8("CONFIG.state")
            guard let state = ConfigOffer.State(rawValue: raw) else {
                throw .invalidValue(field: "CONFIG.state", reason: "is \(raw); expected 0 (body), 1 (unchanged) or 2 (none)")
            }
            let body = try reader.readString("CONFIG.body", limit: ConfigRequest.maxBodyBytes)
            if state != .body && !body.isEmpty {
                throw .invalidValue(field: "CONFIG.body", reason: "holds \(body.utf8.count) bytes but state \(raw) carries none")
            }
            if state == .body && version == 0 {
                throw .invalidValue(field: "CONFIG.version", reason: "is 0 with a body; versions start at 1")
            }
            return .config(ConfigOffer(group: group, version: version, state: state, body: body))
        case .configChanged:
            return .configChanged(ConfigChanged(group: group, version: version))
        default:
            let applied = try reader.readU64("CONFIG_STATUS.applied")
            let error = try reader.readString("CONFIG_STATUS.error", limit: ConfigStatus.maxErrorBytes)
            return .configStatus(ConfigStatus(group: group, version: version, applied: applied, error: error))
        }
    }
}
