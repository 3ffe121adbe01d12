/// The signature of a PromQL function: the one table the parser type-checks
/// calls against and the evaluator looks functions up in.
///
/// It lists every function of Prometheus' function list (promql/parser/
/// functions.go at the commit the conformance scripts come from), with the
/// same argument rules: `argumentTypes` are the types in order; with
/// `variadic` 0 exactly that many arguments are needed; otherwise the last
/// one is optional and, when `variadic` > 0, up to that many more of the
/// last type may follow (`variadic` −1: any number).
public struct PromQLFunction: Sendable, Equatable {
    public let name: String
    public let argumentTypes: [QueryValueType]
    public let variadic: Int
    public let returnType: QueryValueType
    /// Prometheus enables it only with `--enable-feature=promql-experimental-functions`.
    /// The parser accepts it; the conformance runner may skip cases using it.
    public let experimental: Bool
    /// Also a LogQL function (`vector(1)`, `label_replace(…)`).
    public let inLogQL: Bool

    init(_ name: String, _ argumentTypes: [QueryValueType], variadic: Int = 0, returns returnType: QueryValueType = .vector,
         experimental: Bool = false, inLogQL: Bool = false) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.variadic = variadic
        self.returnType = returnType
        self.experimental = experimental
        self.inLogQL = inLogQL
    }

    /// The fewest arguments a call may have.
    public var minimumArgumentCount: Int { variadic == 0 ? argumentTypes.count : argumentTypes.count - 1 }

    /// The most arguments a call may have; nil when unbounded.
    public var maximumArgumentCount: Int? {
        if variadic == 0 { return argumentTypes.count }
        if variadic < 0 { return nil }
        return argumentTypes.count - 1 + variadic
    }

    /// The type the argument at `index` must have (the last type repeats
    /// for variadic functions); nil past the end of a fixed signature.
    public func argumentType(at index: Int) -> QueryValueType? {
        if index < argumentTypes.count { return argumentTypes[index] }
        return variadic != 0 ? argumentTypes.last : nil
    }

    /// Looks a function up by its exact name (function names are case
    /// sensitive, as in Prometheus; aggregation keywords are not functions).
    public static func named(_ name: String) -> PromQLFunction? { table[name] }

    /// Every function, by name.
    public static let table: [String: PromQLFunction] = {
        var table: [String: PromQLFunction] = [:]
        for function in all { table[function.name] = function }
        return table
    }()

    /// Every function, in alphabetical order.
    public static let all: [PromQLFunction] = [
        PromQLFunction("abs", [.vector]),
        PromQLFunction("absent", [.vector]),
        PromQLFunction("absent_over_time", [.matrix]),
        // Tributary's anomaly band (docs/anomalies.md): range vector,
        // sensitivity where it has one, then an optional period in seconds.
        PromQLFunction("anomaly_baseline", [.matrix, .scalar], variadic: 1),
        PromQLFunction("anomaly_lower", [.matrix, .scalar, .scalar], variadic: 1),
        PromQLFunction("anomaly_score", [.matrix, .scalar], variadic: 1),
        PromQLFunction("anomaly_upper", [.matrix, .scalar, .scalar], variadic: 1),
        PromQLFunction("acos", [.vector]),
        PromQLFunction("acosh", [.vector]),
        PromQLFunction("asin", [.vector]),
        PromQLFunction("asinh", [.vector]),
        PromQLFunction("atan", [.vector]),
        PromQLFunction("atanh", [.vector]),
        PromQLFunction("avg_over_time", [.matrix]),
        PromQLFunction("ceil", [.vector]),
        PromQLFunction("changes", [.matrix]),
        PromQLFunction("clamp", [.vector, .scalar, .scalar]),
        PromQLFunction("clamp_max", [.vector, .scalar]),
        PromQLFunction("clamp_min", [.vector, .scalar]),
        PromQLFunction("cos", [.vector]),
        PromQLFunction("cosh", [.vector]),
        PromQLFunction("count_over_time", [.matrix]),
        PromQLFunction("day_of_month", [.vector], variadic: 1),
        PromQLFunction("day_of_week", [.vector], variadic: 1),
        PromQLFunction("day_of_year", [.vector], variadic: 1),
        PromQLFunction("days_in_month", [.vector], variadic: 1),
        PromQLFunction("deg", [.vector]),
        PromQLFunction("delta", [.matrix]),
        PromQLFunction("deriv", [.matrix]),
        PromQLFunction("double_exponential_smoothing", [.matrix, .scalar, .scalar], experimental: true),
        PromQLFunction("end", [], returns: .scalar, experimental: true),
        PromQLFunction("exp", [.vector]),
        PromQLFunction("first_over_time", [.matrix]),
        PromQLFunction("floor", [.vector]),
        PromQLFunction("histogram_avg", [.vector]),
        PromQLFunction("histogram_count", [.vector]),
        PromQLFunction("histogram_fraction", [.scalar, .scalar, .vector]),
        PromQLFunction("histogram_quantile", [.scalar, .vector]),
        PromQLFunction("histogram_quantiles", [.vector, .string, .scalar, .scalar], variadic: 9, experimental: true),
        PromQLFunction("histogram_stddev", [.vector]),
        PromQLFunction("histogram_stdvar", [.vector]),
        PromQLFunction("histogram_sum", [.vector]),
        PromQLFunction("hour", [.vector], variadic: 1),
        PromQLFunction("idelta", [.matrix]),
        PromQLFunction("increase", [.matrix]),
        PromQLFunction("info", [.vector, .vector], variadic: 1, experimental: true),
        PromQLFunction("irate", [.matrix]),
        PromQLFunction("label_join", [.vector, .string, .string, .string], variadic: -1),
        PromQLFunction("label_replace", [.vector, .string, .string, .string, .string], inLogQL: true),
        PromQLFunction("last_over_time", [.matrix]),
        PromQLFunction("ln", [.vector]),
        PromQLFunction("log10", [.vector]),
        PromQLFunction("log2", [.vector]),
        PromQLFunction("mad_over_time", [.matrix], experimental: true),
        PromQLFunction("max_of", [.scalar, .scalar], returns: .scalar, experimental: true),
        PromQLFunction("max_over_time", [.matrix]),
        PromQLFunction("min_of", [.scalar, .scalar], returns: .scalar, experimental: true),
        PromQLFunction("min_over_time", [.matrix]),
        PromQLFunction("minute", [.vector], variadic: 1),
        PromQLFunction("month", [.vector], variadic: 1),
        PromQLFunction("pi", [], returns: .scalar),
        PromQLFunction("predict_linear", [.matrix, .scalar]),
        PromQLFunction("present_over_time", [.matrix]),
        PromQLFunction("quantile_over_time", [.scalar, .matrix]),
        PromQLFunction("rad", [.vector]),
        PromQLFunction("range", [], returns: .scalar, experimental: true),
        PromQLFunction("rate", [.matrix]),
        PromQLFunction("resets", [.matrix]),
        PromQLFunction("round", [.vector, .scalar], variadic: 1),
        PromQLFunction("scalar", [.vector], returns: .scalar),
        PromQLFunction("sgn", [.vector]),
        PromQLFunction("sin", [.vector]),
        PromQLFunction("sinh", [.vector]),
        PromQLFunction("sort", [.vector]),
        PromQLFunction("sort_by_label", [.vector, .string], variadic: -1, experimental: true),
        PromQLFunction("sort_by_label_desc", [.vector, .string], variadic: -1, experimental: true),
        PromQLFunction("sort_desc", [.vector]),
        PromQLFunction("sqrt", [.vector]),
        PromQLFunction("start", [], returns: .scalar, experimental: true),
        PromQLFunction("start_timestamp", [.vector], experimental: true),
        PromQLFunction("stddev_over_time", [.matrix]),
        PromQLFunction("stdvar_over_time", [.matrix]),
        PromQLFunction("step", [], returns: .scalar, experimental: true),
        PromQLFunction("sum_over_time", [.matrix]),
        PromQLFunction("tan", [.vector]),
        PromQLFunction("tanh", [.vector]),
        PromQLFunction("time", [], returns: .scalar),
        PromQLFunction("timestamp", [.vector]),
        PromQLFunction("ts_of_first_over_time", [.matrix], experimental: true),
        PromQLFunction("ts_of_last_over_time", [.matrix], experimental: true),
        PromQLFunction("ts_of_max_over_time", [.matrix], experimental: true),
        PromQLFunction("ts_of_min_over_time", [.matrix], experimental: true),
        PromQLFunction("vector", [.scalar], inLogQL: true),
        PromQLFunction("year", [.vector], variadic: 1),
    ]
}
