import Foundation
import Hummingbird
import Logging
import NIOCore
import TributaryModel
import TributaryPush
import TributaryStorage
import TributaryWire

/// Stores what other tools push (Loki push, remote write, OTLP) on the
/// same durable path as agent batches: the records are encoded as BATCH
/// bodies and handed to the `IngestStore` (or, in a cluster, to the
/// coordinator's quorum write), so a 2xx means the write-ahead log holds
/// them (on `write_quorum` replicas). Answers:
///
/// - 204 (200 with an empty response message for OTLP) once durable;
/// - 400 for data that can never be stored, 413 over a `push:` limit,
///   415 for a content type or encoding the endpoint does not read;
/// - 429 (tenant over its ingest rate) or 503 (disk limits, heads full,
///   quorum missing) with `Retry-After`: nothing was lost, send it again.
///
/// Records outside `limits.max_record_age` / `max_record_future` are
/// dropped and the others stored; the answer is then 400 naming how many
/// (what Loki and Prometheus do), so the client does not resend them.
///
/// Each batch's identity is a digest of the request (`PushDigest`): a
/// retried request is recognised as a duplicate and stored once.
struct PushReceiver: Sendable {
    let store: IngestStore
    let cluster: ClusterNode?
    let wireLimits: WireLimits
    let bounds: RecordBounds
    let limits: PushLimits
    let rates: TenantRateLimiter?
    let metrics: NodeMetrics
    let logger: Logger
    /// Remote-write series decoded before, by their raw label bytes.
    let seriesCache = RemoteWriteSeriesCache()
    /// Remote-write series' fleet sources.
    let remoteWriteSources = RemoteWriteSources()
    /// Encoders reused from request to request.
    let encoders: PushEncoderPool<BatchEncoder>
    /// Remote write's encoders (series and sample columns to a batch).
    let metricEncoders: PushEncoderPool<MetricBatchEncoder>
    /// Counts the sources of what is stored (`FleetRegistry`); set by `NodeService`.
    var fleet: FleetRegistry?

    /// Records per stored batch: far below the wire limit, so a batch and
    /// its replication frames stay a few MiB.
    static let recordsPerBatch = 20_000
    /// Uncompressed message bytes per stored batch.
    static let bytesPerBatch = 4 << 20

    func receive(_ request: Request, as kind: PushProtocol, tenant: String) async -> Response {
        if kind == .remoteWrite { return await receiveRemoteWrite(request, tenant: tenant) }
        let body: ByteBuffer
        let records: [Record]
        let digestBase: PushDigest
        var format = PushProtocol.BodyFormat.protobuf
        do {
            format = try kind.format(contentType: request.headers[.contentType])
            let encoding = try PushEncoding.named(request.headers[.contentEncoding], fallback: kind.defaultEncoding(format))
            do {
                body = try await request.body.collect(upTo: limits.maxBodyBytes)
            } catch {
                throw PushError.tooLarge("the body is larger than push.max_body_bytes (\(limits.maxBodyBytes) bytes): send smaller requests")
            }
            let bytes = try encoding.decode(body, limits: limits)
            records = try kind.decode(bytes, format: format, limits: limits, seriesCache: seriesCache)
            var digest = PushDigest(seed: tenant)
            digest.add(bytes)
            digestBase = digest
        } catch let error as PushError {
            return refuse(error, kind: kind, tenant: tenant)
        } catch {
            return refuse(.badRequest("the request could not be read: \(error)"), kind: kind, tenant: tenant)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let oldest = now &- bounds.maxAge
        let newest = now &+ bounds.maxFuture
        let kept = records.filter { $0.timestamp >= oldest && $0.timestamp <= newest }
        let dropped = records.count - kept.count
        var batches: [(Batch, [Record])] = []
        do {
            batches = try encode(kept, kind: kind, digest: digestBase)
        } catch {
            return refuse(.badRequest("a record breaks a limit of this node: \(error)"), kind: kind, tenant: tenant)
        }
        if let rates, case .busy(let retryAfter, let reason) = rates.admit(tenant: tenant, bytes: body.readableBytes) {
            metrics.countBusy(.tenantRate)
            return busy(.tooManyRequests, reason, retryAfterMilliseconds: retryAfter)
        }
        for (batch, records) in batches {
            if let answer = await store(batch, records: records, recordCount: records.count, parts: nil, tenant: tenant) { return answer }
            fleet?.received(records, tenant: tenant, push: kind.rawValue)
        }
        if dropped > 0 {
            let first = records.first { $0.timestamp < oldest || $0.timestamp > newest }?.timestamp ?? 0
            let message = "\(dropped) of \(records.count) records were dropped: their timestamps (e.g. \(BatchValidator.format(first))) lie outside "
                + "\(BatchValidator.format(oldest)) … \(BatchValidator.format(newest)) (limits.max_record_age, limits.max_record_future); the other \(kept.count) are stored"
            metrics.countRejected(reason: "push_out_of_bounds")
            return APIFailure(.badRequest, "bad_data", message).response
        }
        return success(kind, format: format)
    }

    /// The records as batches of at most `recordsPerBatch` records and
    /// about `bytesPerBatch` bytes, each identified by the request's digest.
    private func encode(_ records: [Record], kind: PushProtocol, digest: PushDigest) throws -> [(Batch, [Record])] {
        guard !records.isEmpty else { return [] }
        return try encoders.withEncoder { encoder in try encode(records, kind: kind, digest: digest, with: encoder) }
    }

    private func encode(_ records: [Record], kind: PushProtocol, digest: PushDigest, with encoder: BatchEncoder) throws -> [(Batch, [Record])] {
        var batches: [(Batch, [Record])] = []
        var start = 0
        while start < records.count {
            var end = start
            var bytes = 0
            while end < records.count, end - start < Self.recordsPerBatch, bytes < Self.bytesPerBatch {
                if case .log(let log) = records[end] { bytes += log.message.readableBytes + 64 } else { bytes += 32 }
                end += 1
            }
            let chunk = Array(records[start..<end])
            var identity = digest
            identity.add(UInt64(batches.count))
            batches.append((try encoder.encode(chunk, agentID: kind.agentID, sequence: identity.value), chunk))
            start = end
        }
        return batches
    }

    /// Stores one batch of `recordCount` records (filed under `parts` when
    /// they are known, else by `records`); nil when durable (or already
    /// stored), else the answer.
    func store(_ batch: Batch, records: [Record], recordCount: Int, parts: [BatchPart]?, tenant: String) async -> Response? {
        if let cluster {
            let result = await cluster.write(batch, records: records, tenant: tenant)
            switch result {
            case .stored:
                metrics.countStored(records: recordCount, bytes: batch.body.readableBytes)
                return nil
            case .duplicate:
                metrics.countDuplicate()
                return nil
            case .busy(let reason, let retryAfter):
                metrics.countBusy(.replicas)
                return busy(.serviceUnavailable, reason, retryAfterMilliseconds: retryAfter)
            case .refused(let nack):
                metrics.countRejected(nack.code)
                if nack.disposition == .permanent { return APIFailure(.badRequest, "bad_data", nack.reason).response }
                return busy(.serviceUnavailable, nack.reason, retryAfterMilliseconds: 1000)
            case .failed(let error):
                logger.error("push batch \(batch.id) of tenant \(tenant) not stored: \(error)")
                return busy(.serviceUnavailable, "not stored: \(error)", retryAfterMilliseconds: 1000)
            }
        }
        do {
            let outcome = if let parts {
                try await store.store(batch, records: records, parts: parts, tenant: tenant)
            } else {
                try await store.store(batch, records: records, tenant: tenant)
            }
            switch outcome {
            case .stored:
                metrics.countStored(records: recordCount, bytes: batch.body.readableBytes)
                return nil
            case .duplicate:
                metrics.countDuplicate()
                return nil
            case .busy(let reason, let detail, let retryAfter):
                metrics.countBusy(reason)
                return busy(.serviceUnavailable, detail, retryAfterMilliseconds: retryAfter)
            }
        } catch {
            if case StorageError.diskFull = error { metrics.countBusy(.diskFull) }
            logger.error("push batch \(batch.id) of tenant \(tenant) not stored: \(error)")
            return busy(.serviceUnavailable, "not stored: \(error)", retryAfterMilliseconds: 1000)
        }
    }

    func refuse(_ error: PushError, kind: PushProtocol, tenant: String) -> Response {
        metrics.countRejected(reason: "push_\(kind.rawValue)")
        logger.notice("refused a \(kind.rawValue) push of tenant \(tenant): \(error.status) \(error.reason)")
        let status: HTTPResponse.Status = switch error.kind {
        case .badRequest: .badRequest
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
        return APIFailure(status, error.kind == .badRequest ? "bad_data" : "unsupported", error.reason).response
    }

    func busy(_ status: HTTPResponse.Status, _ reason: String, retryAfterMilliseconds: UInt32) -> Response {
        var failure = APIFailure(status, "unavailable", reason + " (not stored: retry)")
        failure.headers[.retryAfter] = String(max(1, (Int(retryAfterMilliseconds) + 999) / 1000))
        return failure.response
    }

    /// 204, or for OTLP the empty `Export…ServiceResponse` in the
    /// request's format (protobuf: no bytes; JSON: `{}`).
    private func success(_ kind: PushProtocol, format: PushProtocol.BodyFormat) -> Response {
        switch (kind, format) {
        case (.loki, _), (.remoteWrite, _):
            return Response(status: .noContent)
        case (_, .protobuf):
            return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: ResponseBody(byteBuffer: ByteBuffer()))
        case (_, .json):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
    }
}

extension PushReceiver {
    /// The receiver of a node with `configuration`: its limits, record
    /// bounds and tenant ingest rates.
    init(_ configuration: NodeConfiguration, store: IngestStore, cluster: ClusterNode?, metrics: NodeMetrics, logger: Logger) {
        let rates = TenantRateLimiter(limits: configuration.tenantLimits)
        self.init(store: store, cluster: cluster, wireLimits: configuration.limits, bounds: configuration.recordBounds, limits: configuration.push,
                  rates: rates.isEmpty ? nil : rates, metrics: metrics, logger: logger,
                  encoders: PushEncoderPool { [wire = configuration.limits] in BatchEncoder(compression: .fastest, limits: wire) },
                  metricEncoders: PushEncoderPool { [wire = configuration.limits] in MetricBatchEncoder(compression: .fastest, limits: wire) })
    }
}
