import TributaryConfig
import TributaryTLS

extension InputConfiguration {
    static let types = ["file", "syslog", "host_metrics", "statsd", "docker", "prometheus"]

    static func read(_ section: ConfigReader, index: Int, relativeTo base: String) throws(ConfigError) -> InputConfiguration {
        let type = try section.requiredString("type", expected: "one of \(types.joined(separator: ", "))")
        let name = try section.string("name", default: "\(type)-\(index)")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !name.isEmpty, name.count <= 64 else {
            throw section.error("name", "\"\(name)\" may use letters, digits, - and _ (at most 64)")
        }
        let labels = try AgentConfiguration.labelPairs(section, "labels")
        let kind: Kind
        switch type {
        case "file", "docker":
            var paths = try section.stringList("paths", expected: "glob patterns")
            if type == "docker" && paths.isEmpty { paths = ["/var/lib/docker/containers/*/*-json.log"] }
            guard !paths.isEmpty else {
                throw section.error("paths", "is required: a list of glob patterns such as [/var/log/app/*.log]")
            }
            var settings = FileInputSettings(paths: paths.map { AgentConfiguration.resolve($0, base) })
            settings.format = type == "docker" ? .docker : .lines
            settings.exclude = try section.stringList("exclude", expected: "glob patterns").map { AgentConfiguration.resolve($0, base) }
            let startAt = try section.string("start_at", default: "beginning")
            guard let start = FileInputSettings.StartAt(rawValue: startAt) else {
                throw section.error("start_at", "expected beginning or end, found \"\(startAt)\"")
            }
            settings.startAt = start
            settings.maxLineBytes = try section.bytes("max_line_bytes", default: settings.maxLineBytes, range: 256...(1 << 20))
            if let multiline = try section.section("multiline") {
                let pattern = try multiline.requiredString("start", expected: "a regex matching the first line of a record, e.g. '^\\d{4}-'")
                var joined = MultilineSettings(start: try regex(multiline, "start", pattern))
                joined.timeout = try multiline.duration("timeout", default: joined.timeout)
                joined.maxLines = try multiline.int("max_lines", default: joined.maxLines, range: 2...100_000)
                joined.maxBytes = min(1 << 20, settings.maxLineBytes * 4)
                try multiline.finish()
                settings.multiline = joined
            }
            settings.rotateWait = try section.duration("rotate_wait", default: settings.rotateWait)
            kind = .file(settings)
        case "syslog":
            var settings = SyslogInputSettings()
            settings.udp = try address(section, "udp")
            settings.tcp = try address(section, "tcp")
            if let tls = try section.section("tls") {
                guard let listen = try address(tls, "listen") else {
                    throw tls.error("listen", "is required: the TLS listener's host:port, e.g. 0.0.0.0:6514")
                }
                settings.tls = listen
                var configuration = TLSConfiguration()
                configuration.certificateChainFile = AgentConfiguration.resolve(
                    try tls.requiredString("certificate", expected: "the listener's PEM certificate chain"), base)
                configuration.privateKeyFile = AgentConfiguration.resolve(try tls.requiredString("key", expected: "the listener's PEM key"), base)
                configuration.trustedCAFile = try tls.string("ca").map { AgentConfiguration.resolve($0, base) }
                configuration.requireClientCertificate = try tls.bool("require_client_certificate", default: false)
                configuration.verifyPeer = configuration.requireClientCertificate
                try tls.finish()
                settings.tlsConfiguration = configuration
            }
            guard settings.udp != nil || settings.tcp != nil || settings.tls != nil else {
                throw section.error(nil, "a syslog input needs at least one of udp, tcp or tls")
            }
            settings.maxMessageBytes = try section.bytes("max_message_bytes", default: settings.maxMessageBytes, range: 480...(1 << 20))
            settings.maxConnections = try section.int("max_connections", default: settings.maxConnections, range: 1...65_536)
            if let text = try section.string("time_zone") {
                guard let zone = SyslogTimeZone.parse(text) else {
                    throw section.error("time_zone", "expected local, UTC, an offset such as +05:30, or a zone name such as Europe/Berlin, found \"\(text)\"")
                }
                settings.rfc3164TimeZone = zone
            }
            kind = .syslog(settings)
        case "host_metrics":
            kind = .hostMetrics(interval: try section.duration("interval", default: .seconds(10)))
        case "statsd":
            let listen = try address(section, "listen") ?? ("127.0.0.1", 8125)
            kind = .statsd(host: listen.0, port: listen.1, flushInterval: try section.duration("flush_interval", default: .seconds(10)),
                           maxSeries: try section.int("max_series", default: 10_000, range: 1...1_000_000))
        case "prometheus":
            kind = .prometheus(try prometheus(section, name: name, relativeTo: base))
        default:
            throw section.error("type", "expected one of \(types.joined(separator: ", ")), found \"\(type)\"")
        }
        var rules = ProcessingRules()
        let parse = try section.string("parse", default: "none")
        guard let parsed = ProcessingRules.Parse(rawValue: parse) else {
            throw section.error("parse", "expected json, logfmt or none, found \"\(parse)\"")
        }
        rules.parse = parsed
        rules.keep = try section.stringList("keep", expected: "regular expressions").map { pattern throws(ConfigError) in try regex(section, "keep", pattern) }
        rules.drop = try section.stringList("drop", expected: "regular expressions").map { pattern throws(ConfigError) in try regex(section, "drop", pattern) }
        for (position, redaction) in try section.sections("redact").enumerated() {
            let pattern = try redaction.requiredString("pattern", expected: "a regular expression to replace")
            let replacement = try redaction.string("replacement", default: "[REDACTED]")
            rules.redact.append(.init(pattern: try regex(redaction, "pattern", pattern), replacement: replacement))
            try redaction.finish()
            _ = position
        }
        try section.finish()
        return InputConfiguration(name: name, kind: kind, labels: labels, rules: rules)
    }

    private static func regex(_ section: ConfigReader, _ key: String, _ pattern: String) throws(ConfigError) -> LineRegex {
        do {
            return try LineRegex(pattern)
        } catch {
            throw section.error(key, "\"\(pattern)\" is not a valid regular expression: \(error)")
        }
    }

    private static func address(_ section: ConfigReader, _ key: String) throws(ConfigError) -> (String, Int)? {
        guard let text = try section.string(key) else { return nil }
        guard let address = ConfigUnits.hostPort(text) else {
            throw section.error(key, "expected host:port such as 0.0.0.0:514, found \"\(text)\"")
        }
        return address
    }
}
