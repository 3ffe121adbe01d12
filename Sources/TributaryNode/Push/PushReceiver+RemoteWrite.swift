import Foundation
import Hummingbird
import NIOCore
import TributaryModel
import TributaryPush
import TributaryStorage
import TributaryWire

extension PushReceiver {
    /// `POST /api/v1/write`: as `receive`, with the request kept as series
    /// and sample columns (`RemoteWriteRequest`) from the body to the
    /// write-ahead log: each batch is written by a `MetricBatchEncoder`
    /// from the series' cached table strings, and on a single node filed
    /// under parts made from the request's series, so no `Record` is made
    /// per sample. Records are built only where a path still needs them
    /// (a cluster's coordinator, a batch across buckets or shards).
    /// Durability, answers and batch identities are those of `receive`.
    func receiveRemoteWrite(_ request: Request, tenant: String) async -> Response {
        let kind = PushProtocol.remoteWrite
        let body: ByteBuffer
        var decoded: RemoteWriteRequest
        let digestBase: PushDigest
        do {
            let format = try kind.format(contentType: request.headers[.contentType])
            let encoding = try PushEncoding.named(request.headers[.contentEncoding], fallback: kind.defaultEncoding(format))
            do {
                body = try await request.body.collect(upTo: limits.maxBodyBytes)
            } catch {
                throw PushError.tooLarge("the body is larger than push.max_body_bytes (\(limits.maxBodyBytes) bytes): send smaller requests")
            }
            let bytes = try encoding.decode(body, limits: limits)
            decoded = try RemoteWriteDecoder.decodeRequest(bytes, limits: limits, cache: seriesCache)
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
        let received = decoded.sampleCount
        let firstDropped = decoded.timestamps.first { $0 < oldest || $0 > newest }
        if firstDropped != nil { decoded = decoded.filter { $0 >= oldest && $0 <= newest } }
        let dropped = received - decoded.sampleCount
        let chunks = Self.chunks(of: decoded.runs, samplesPerChunk: Self.recordsPerBatch)
        var batches: [Batch] = []
        do {
            batches = try metricEncoders.withEncoder { encoder in
                let series = decoded.batchSeries
                return try chunks.enumerated().map { index, runs in
                    var identity = digestBase
                    identity.add(UInt64(index))
                    return try encoder.encode(series: series, runs: runs[...], timestamps: decoded.timestamps, values: decoded.values,
                                              agentID: kind.agentID, sequence: identity.value)
                }
            }
        } catch {
            return refuse(.badRequest("a record breaks a limit of this node: \(error)"), kind: kind, tenant: tenant)
        }
        if let rates, case .busy(let retryAfter, let reason) = rates.admit(tenant: tenant, bytes: body.readableBytes) {
            metrics.countBusy(.tenantRate)
            return busy(.tooManyRequests, reason, retryAfterMilliseconds: retryAfter)
        }
        for (batch, runs) in zip(batches, chunks) {
            let parts = cluster == nil ? singlePart(of: runs, in: decoded, tenant: tenant) : nil
            let records = parts == nil ? decoded.records(of: runs[...]) : []
            if let answer = await store(batch, records: records, recordCount: batch.recordCount, parts: parts, tenant: tenant) { return answer }
            fleet?.received(sources: remoteWriteSources.counts(of: runs, in: decoded), tenant: tenant)
        }
        if dropped > 0, let first = firstDropped {
            let message = "\(dropped) of \(received) records were dropped: their timestamps (e.g. \(BatchValidator.format(first))) lie outside "
                + "\(BatchValidator.format(oldest)) … \(BatchValidator.format(newest)) (limits.max_record_age, limits.max_record_future); the other \(decoded.sampleCount) are stored"
            metrics.countRejected(reason: "push_out_of_bounds")
            return APIFailure(.badRequest, "bad_data", message).response
        }
        return Response(status: .noContent)
    }

    /// `runs` cut into chunks of at most `samplesPerChunk` samples (a run
    /// split where a chunk fills), one stored batch each.
    static func chunks(of runs: [MetricRun], samplesPerChunk: Int) -> [[MetricRun]] {
        var chunks: [[MetricRun]] = []
        var current: [MetricRun] = []
        var room = samplesPerChunk
        for run in runs {
            var rest = run.samples
            while !rest.isEmpty {
                let take = min(room, rest.count)
                current.append(MetricRun(series: run.series, kind: run.kind, samples: rest.lowerBound..<rest.lowerBound + take))
                rest = rest.lowerBound + take..<rest.upperBound
                room -= take
                if room == 0 {
                    chunks.append(current)
                    current = []
                    room = samplesPerChunk
                }
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// The one part of a chunk whose samples all fall in one unsharded
    /// bucket (the usual case), its streams those of the chunk's series:
    /// the store files the batch without a record per sample. Nil
    /// otherwise (the store then splits the records itself).
    func singlePart(of runs: [MetricRun], in request: RemoteWriteRequest, tenant: String) -> [BatchPart]? {
        guard let firstRun = runs.first else { return nil }
        let partitions = store.partitions
        let key = PartitionKey(tenant: tenant, containing: request.timestamps[firstRun.samples.lowerBound], span: partitions.settings.span)
        guard partitions.routing.shards(bucketStart: key.start) == 1 else { return nil }
        var minimum = Int64.max
        var maximum = Int64.min
        var listed = [Bool](repeating: false, count: request.series.count)
        var streams: [Labels] = []
        for run in runs {
            for sample in run.samples {
                let timestamp = request.timestamps[sample]
                guard timestamp >= key.start, timestamp < key.end else { return nil }
                minimum = min(minimum, timestamp)
                maximum = max(maximum, timestamp)
            }
            if !listed[run.series] {
                listed[run.series] = true
                streams.append(request.series[run.series].streamLabels)
            }
        }
        return [BatchPart(key: key, minTimestamp: minimum, maxTimestamp: maximum, logStreams: [], metricStreams: streams)]
    }
}
