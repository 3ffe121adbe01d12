import Foundation
import TributaryModel
import TributaryQuery

/// The evaluation suite: nine days of one-minute points per case, the
/// first seven as history, anomalies planted in the last two (step, ramp,
/// spike, dip, seasonal daily shapes, counters, gaps, constant and sparse
/// series, noise levels) and negative cases with none. Deterministic: the
/// seed of each case is fixed.
public enum SyntheticSuite {
    public static let minute: Int64 = 60_000_000_000
    public static let hour = 60 * minute
    public static let day = 24 * hour
    /// 2026-11-02T00:00:00Z, a Monday.
    public static let origin: Int64 = 1_793_577_600_000_000_000
    public static let days = 9
    /// Where judging starts: after seven days of history.
    public static let judgedFrom = origin + 7 * day
    public static let judgedTo = origin + Int64(days) * day - minute

    /// Every case, in a fixed order.
    public static func cases() -> [SyntheticCase] {
        let judged = judgedFrom
        return [
            gauge("noise_flat", seed: 1) { _, random in 100 + 5 * random.gaussian() },
            gauge("noise_high", seed: 2) { _, random in 100 + 20 * random.gaussian() },
            gauge("noise_heavy_tail", seed: 3) { index, random in
                // A lone outlier every 3 h: not a sustained anomaly.
                100 + 5 * random.gaussian() + (index % 180 == 97 ? 60 : 0)
            },
            gauge("step_up", seed: 4, events: [LabelledAnomaly(kind: "step", start: judged + 12 * hour, end: judged + 15 * hour)]) { time, index, random in
                100 + 5 * random.gaussian() + (inside(time, judged + 12 * hour, judged + 15 * hour) ? 40 : 0)
            },
            gauge("step_down", seed: 5, events: [LabelledAnomaly(kind: "step", start: judged + 30 * hour, end: judged + 34 * hour)]) { time, index, random in
                100 + 5 * random.gaussian() - (inside(time, judged + 30 * hour, judged + 34 * hour) ? 30 : 0)
            },
            gauge("step_small", seed: 23, events: [LabelledAnomaly(kind: "step", start: judged + 7 * hour, end: judged + 10 * hour)]) { time, index, random in
                // +4σ: on the edge of the default sensitivity.
                100 + 5 * random.gaussian() + (inside(time, judged + 7 * hour, judged + 10 * hour) ? 20 : 0)
            },
            gauge("level_shift_permanent", seed: 24, events: [LabelledAnomaly(kind: "step", start: judged + 6 * hour, end: judged + 48 * hour)]) { time, index, random in
                100 + 5 * random.gaussian() + (time >= judged + 6 * hour ? 35 : 0)
            },
            gauge("step_noisy", seed: 6, events: [LabelledAnomaly(kind: "step", start: judged + 20 * hour, end: judged + 22 * hour)]) { time, index, random in
                100 + 20 * random.gaussian() + (inside(time, judged + 20 * hour, judged + 22 * hour) ? 130 : 0)
            },
            gauge("spike", seed: 7, events: [LabelledAnomaly(kind: "spike", start: judged + 9 * hour, end: judged + 9 * hour + 5 * minute)]) { time, index, random in
                100 + 5 * random.gaussian() + (inside(time, judged + 9 * hour, judged + 9 * hour + 5 * minute) ? 60 : 0)
            },
            gauge("dip", seed: 8, events: [LabelledAnomaly(kind: "dip", start: judged + 40 * hour, end: judged + 40 * hour + 6 * minute)]) { time, index, random in
                100 + 5 * random.gaussian() - (inside(time, judged + 40 * hour, judged + 40 * hour + 6 * minute) ? 50 : 0)
            },
            gauge("ramp", seed: 9, events: [LabelledAnomaly(kind: "ramp", start: judged + 14 * hour, end: judged + 18 * hour)]) { time, index, random in
                // A leak: +0.5 per minute for 4 h, then a restart.
                let start = judged + 14 * hour
                let ramp = inside(time, start, judged + 18 * hour) ? 0.5 * Double((time - start) / minute) : 0
                return 100 + 5 * random.gaussian() + ramp
            },
            gauge("seasonal_daily", seed: 10) { time, index, random in daily(time) + 4 * random.gaussian() },
            gauge("seasonal_daily_noisy", seed: 11) { time, index, random in daily(time) + 10 * random.gaussian() },
            gauge("seasonal_night_bump", seed: 12, events: [LabelledAnomaly(kind: "seasonal", start: judged + 3 * hour, end: judged + 3 * hour + 45 * minute)]) { time, index, random in
                // +30 at night stays inside the day's range: only a seasonal baseline sees it.
                daily(time) + 4 * random.gaussian() + (inside(time, judged + 3 * hour, judged + 3 * hour + 45 * minute) ? 30 : 0)
            },
            gauge("seasonal_peak_dip", seed: 13, events: [LabelledAnomaly(kind: "seasonal", start: judged + 38 * hour, end: judged + 39 * hour)]) { time, index, random in
                daily(time) + 4 * random.gaussian() - (inside(time, judged + 38 * hour, judged + 39 * hour) ? 40 : 0)
            },
            counter("counter_steady", seed: 14, resetAt: judged + 20 * hour) { _, random in 600 + 30 * random.gaussian() },
            counter("counter_rate_jump", seed: 15, resetAt: nil,
                    events: [LabelledAnomaly(kind: "rate", start: judged + 26 * hour, end: judged + 27 * hour)]) { time, random in
                (inside(time, judged + 26 * hour, judged + 27 * hour) ? 1_800 : 600) + 30 * random.gaussian()
            },
            gauge("gaps", seed: 16, skip: { time, index in
                inside(time, judged + 8 * hour, judged + 10 * hour) || index % 17 == 3
            }) { _, _, random in 100 + 5 * random.gaussian() },
            gauge("gap_then_step", seed: 17, skip: { time, _ in inside(time, judged + 16 * hour, judged + 17 * hour) },
                  events: [LabelledAnomaly(kind: "step", start: judged + 17 * hour, end: judged + 19 * hour)]) { time, index, random in
                100 + 5 * random.gaussian() + (inside(time, judged + 17 * hour, judged + 19 * hour) ? 40 : 0)
            },
            gauge("constant", seed: 18) { _, _, _ in 42 },
            gauge("constant_change", seed: 19, events: [LabelledAnomaly(kind: "step", start: judged + 5 * hour, end: judged + 5 * hour + 30 * minute)]) { time, _, _ in
                inside(time, judged + 5 * hour, judged + 5 * hour + 30 * minute) ? 50 : 42
            },
            gauge("sparse_counts", seed: 20) { _, _, random in random.poisson(mean: 2) },
            gauge("sparse_counts_burst", seed: 21, events: [LabelledAnomaly(kind: "burst", start: judged + 33 * hour, end: judged + 33 * hour + 20 * minute)]) { time, _, random in
                random.poisson(mean: inside(time, judged + 33 * hour, judged + 33 * hour + 20 * minute) ? 15 : 2)
            },
            gauge("new_series", seed: 22, skip: { time, _ in time < judged + 47 * hour + 50 * minute }) { _, _, random in
                // Appears ten minutes before the end, wildly varying: too few points for a verdict.
                1_000 * random.unit()
            },
        ]
    }

    /// A smooth daily shape: low at night, a peak in the afternoon.
    static func daily(_ time: Int64) -> Double {
        let phase = Double((time - origin) % day) / Double(day)
        return 100 - 50 * cos(2 * Double.pi * (phase - 0.125))
    }

    static func inside(_ time: Int64, _ start: Int64, _ end: Int64) -> Bool { time >= start && time < end }

    static func labels(_ metric: String, _ name: String) -> Labels {
        (try? Labels(["__name__": metric, "case": name])) ?? .empty
    }

    static func gauge(_ name: String, seed: UInt64, skip: (Int64, Int) -> Bool = { _, _ in false }, events: [LabelledAnomaly] = [],
                      _ value: (Int64, Int, inout SyntheticRandom) -> Double) -> SyntheticCase {
        var random = SyntheticRandom(seed: seed)
        var timestamps: [Int64] = [], values: [Double] = []
        for index in 0..<(days * 1_440) {
            let time = origin + Int64(index) * minute
            let point = value(time, index, &random)
            guard !skip(time, index) else { continue }
            timestamps.append(time)
            values.append(point)
        }
        return SyntheticCase(name: name, series: MetricSeries(labels: labels("anomaly_bench_value", name), timestamps: timestamps, values: values), anomalies: events)
    }

    static func gauge(_ name: String, seed: UInt64, _ value: (Int, inout SyntheticRandom) -> Double) -> SyntheticCase {
        gauge(name, seed: seed) { _, index, random in value(index, &random) }
    }

    /// A counter whose per-minute increase is `increase`; it restarts from 0 at `resetAt`.
    static func counter(_ name: String, seed: UInt64, resetAt: Int64?, events: [LabelledAnomaly] = [],
                        _ increase: (Int64, inout SyntheticRandom) -> Double) -> SyntheticCase {
        var random = SyntheticRandom(seed: seed)
        var timestamps: [Int64] = [], values: [Double] = []
        var total = 0.0
        for index in 0..<(days * 1_440) {
            let time = origin + Int64(index) * minute
            // A restart: the counter starts again from 0 and counts this minute.
            if time == resetAt { total = 0 }
            total += Swift.max(0, increase(time, &random))
            timestamps.append(time)
            values.append(total)
        }
        return SyntheticCase(name: name, series: MetricSeries(labels: labels("anomaly_bench_events_total", name), timestamps: timestamps, values: values), anomalies: events)
    }
}
