/// Reads a Prometheus text format 0.0.4 or OpenMetrics 1.0 exposition, the
/// body a `/metrics` endpoint answers, into samples:
///
/// ```
/// # HELP http_requests_total Requests served.
/// # TYPE http_requests_total counter
/// http_requests_total{code="200",path="/a \"b\""} 1027 1395066363000
/// latency_seconds_bucket{le="+Inf"} 3 # {trace_id="x"} 0.2 1.5   ← exemplar (OpenMetrics)
/// # EOF                                                          ← OpenMetrics only
/// ```
///
/// The body comes from a target the scraper does not control, so every
/// bound holds before memory is spent: lines (`maxLineBytes`), labels per
/// sample, families, and samples (`maxSamples`: the one after the limit
/// fails the parse at once, so a million-series answer costs no more than
/// the limit). Label values accept exactly the escapes `\\`, `\"` and `\n`;
/// anything else is an error naming the line, the label and what to fix.
/// Timestamps are milliseconds in the text format and seconds in
/// OpenMetrics; both become nanoseconds, checked for overflow.
public struct ExpositionParser {
    public let format: ExpositionFormat
    public let limits: ExpositionLimits
    private var types: [String: FamilyType] = [:]
    private var samples: [ExposedSample] = []
    private var lineNumber = 0
    /// The last sample's name and kind: a family's samples come together,
    /// so most lines reuse both instead of allocating and looking up again.
    private var lastName = ""
    private var lastKind = ExposedSample.Kind.gauge

    private init(format: ExpositionFormat, limits: ExpositionLimits) {
        self.format = format
        self.limits = limits
    }

    /// Every sample of `body`, in order, or the first problem.
    public static func parse(_ body: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = ExpositionLimits())
        throws(ExpositionError) -> [ExposedSample] {
        var parser = ExpositionParser(format: format, limits: limits)
        let result = body.withUnsafeBufferPointer { buffer in parser.run(buffer) }
        return try result.get()
    }

    private mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<[ExposedSample], ExpositionError> {
        var start = 0
        var sawEOF = false
        do {
            while start < buffer.count {
                lineNumber += 1
                var end = start
                let scanLimit = min(buffer.count, start + limits.maxLineBytes + 1)
                while end < scanLimit, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                if end - start > limits.maxLineBytes {
                    throw ExpositionError(.lineTooLong, line: lineNumber,
                                          "a line longer than \(limits.maxLineBytes) bytes: the target's output is not a metrics exposition, or a label value is far too long")
                }
                var lineEnd = end
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[start..<lineEnd])
                start = end + 1
                if sawEOF {
                    if line.isEmpty { continue }
                    throw ExpositionError(.syntax, line: lineNumber, "text after \"# EOF\", which must be the last line of an OpenMetrics exposition")
                }
                if line.isEmpty { continue }
                if line[0] == UInt8(ascii: "#") {
                    sawEOF = try comment(line)
                } else {
                    try sample(line)
                }
            }
            if format == .openMetrics && !sawEOF {
                throw ExpositionError(.syntax, line: lineNumber,
                                      "the OpenMetrics exposition does not end with \"# EOF\": the answer was cut short (a timeout or a limit on the target's side?)")
            }
        } catch let error as ExpositionError {
            return .failure(error)
        } catch {
            return .failure(ExpositionError(.syntax, line: lineNumber, "\(error)"))
        }
        return .success(samples)
    }

    // MARK: Comments

    /// Reads `# HELP`, `# TYPE`, `# UNIT` or `# EOF`; other comments are
    /// skipped. Returns whether the line is `# EOF`.
    private mutating func comment(_ line: UnsafeBufferPointer<UInt8>) throws -> Bool {
        var cursor = ExpositionCursor(line, line: lineNumber)
        cursor.index = 1
        cursor.skipSpaces()
        let keyword = cursor.word()
        if format == .openMetrics && keyword == "EOF" && cursor.atEnd { return true }
        guard keyword == "TYPE" else { return false }
        cursor.skipSpaces()
        let name = cursor.metricName()
        guard !name.isEmpty else { throw cursor.error("# TYPE needs a metric name") }
        cursor.skipSpaces()
        let typeName = cursor.word()
        guard let type = FamilyType(rawValue: typeName.lowercased()) else {
            throw cursor.error("unknown metric type \"\(typeName)\" for \(name): expected counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown or untyped")
        }
        if types[name] == nil && types.count >= limits.maxFamilies {
            throw ExpositionError(.tooMany, line: lineNumber, "more than \(limits.maxFamilies) metric families (# TYPE lines)")
        }
        types[name] = type
        lastName = ""
        return false
    }

    // MARK: Samples

    private mutating func sample(_ line: UnsafeBufferPointer<UInt8>) throws {
        var cursor = ExpositionCursor(line, line: lineNumber)
        if line[0] == UInt8(ascii: "{") {
            throw cursor.error("a quoted (UTF-8) metric name inside the braces is not supported: expose the name before \"{\" with letters, digits, _ and :")
        }
        let nameBytes = cursor.metricNameBytes()
        guard !nameBytes.isEmpty else {
            throw cursor.error("expected a metric name (letters, digits, _ and :, not starting with a digit), found \"\(cursor.preview)\"")
        }
        if !lastName.utf8.elementsEqual(nameBytes) {
            lastName = String(decoding: nameBytes, as: UTF8.self)
            lastKind = kind(of: lastName)
        }
        let name = lastName
        var spaces = cursor.skipSpaces()
        var labels: [KeyValue] = []
        if cursor.peek == UInt8(ascii: "{") {
            labels = try cursor.labelSet(maxLabels: limits.maxLabels)
            spaces = cursor.skipSpaces()
        }
        guard spaces > 0 else {
            if cursor.atEnd { throw cursor.error("\(name) has no value") }
            throw cursor.error("expected a space and the value of \(name), found \"\(cursor.preview)\"")
        }
        let valueToken = cursor.token()
        guard !valueToken.isEmpty else { throw cursor.error("\(name) has no value") }
        guard let value = ExpositionNumbers.float(valueToken) else {
            throw cursor.error("\"\(String(decoding: valueToken, as: UTF8.self))\" is not a number (expected e.g. 1, -2.5e3, NaN, +Inf or -Inf) for \(name)")
        }
        cursor.skipSpaces()
        var timestamp: Int64?
        if !cursor.atEnd && !(format == .openMetrics && cursor.peek == UInt8(ascii: "#")) {
            let token = cursor.token()
            timestamp = format == .text ? ExpositionNumbers.milliseconds(token) : ExpositionNumbers.seconds(token)
            guard timestamp != nil else {
                throw cursor.error("\"\(String(decoding: token, as: UTF8.self))\" is not a timestamp (\(format == .text ? "integer milliseconds" : "seconds")) in range for \(name)")
            }
            cursor.skipSpaces()
        }
        if !cursor.atEnd {
            // OpenMetrics exemplars (`# {trace_id="…"} 0.5`) are not kept.
            guard format == .openMetrics, cursor.peek == UInt8(ascii: "#") else {
                throw cursor.error("unexpected \"\(cursor.preview)\" after the value of \(name)")
            }
        }
        guard samples.count < limits.maxSamples else {
            throw ExpositionError(.sampleLimit, line: lineNumber,
                                  "the target exposes more than \(limits.maxSamples) samples (sample_limit): raise sample_limit, or expose fewer series")
        }
        samples.append(ExposedSample(name: name, labels: labels, value: value, timestamp: timestamp, kind: lastKind))
    }

    /// A sample's kind from its family's `# TYPE`: the name itself, or the
    /// name without a histogram, summary or counter suffix.
    private func kind(of name: String) -> ExposedSample.Kind {
        if let type = types[name] { return type.kind(suffix: "") }
        for suffix in FamilyType.suffixes where name.hasSuffix(suffix) {
            if let type = types[String(name.dropLast(suffix.count))] { return type.kind(suffix: suffix) }
        }
        return .gauge
    }
}
