import ArgumentParser
import TributaryPKI

/// `--key-type ecdsa-p256|rsa-2048`, spelled as the raw values. The library
/// does not depend on ArgumentParser, so the conformance lives here.
extension KeyType: ExpressibleByArgument {}
