/// The value of one node of the expression tree over a whole grid.
enum EvalValue {
    /// One value per step.
    case scalar([Double])
    case string(String)
    /// Series with a value (or absence) per step.
    case vector([StepSeries])
    /// A range vector, only at the top of an instant query (`x[5m]`).
    case matrix([RangeSeries])
}
