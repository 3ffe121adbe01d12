import Testing

/// Every test that runs `trib agent` and `trib node` processes, one at a
/// time: each pushes the 2-core test machine hard, and running them side by
/// side would starve the other suites' timeouts.
@Suite(.serialized) enum AgentProcessTests {}
