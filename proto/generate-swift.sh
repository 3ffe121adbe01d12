#!/bin/sh
# Regenerates Sources/TributaryPushFormats/*.pb.swift from proto/push/:
# the messages of Loki's push API, Prometheus remote write 1.0 and OTLP
# (logs, metrics). The generated code is committed, so builds never run
# this; run it after changing a .proto file.
#
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the
# swift-protobuf version in Package.resolved, built once:
#   git clone https://github.com/apple/swift-protobuf.git /tmp/swift-protobuf
#   cd /tmp/swift-protobuf && git checkout 1.39.0
#   swift build -c release --product protoc-gen-swift
# then: PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift proto/generate-swift.sh
set -eu
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [ -z "$plugin" ] || [ ! -x "$plugin" ]; then
    echo "protoc-gen-swift not found: build it (see the top of $0) and set PROTOC_GEN_SWIFT" >&2
    exit 1
fi
out=Sources/TributaryPushFormats
rm -f "$out"/*.pb.swift
cd proto/push
# FileNaming=PathToUnderscores keeps names unique (several logs.proto files).
protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
    --swift_out="../../$out" \
    loki/push.proto prometheus/types.proto prometheus/remote.proto \
    opentelemetry/proto/common/v1/common.proto \
    opentelemetry/proto/resource/v1/resource.proto \
    opentelemetry/proto/logs/v1/logs.proto \
    opentelemetry/proto/metrics/v1/metrics.proto \
    opentelemetry/proto/collector/logs/v1/logs_service.proto \
    opentelemetry/proto/collector/metrics/v1/metrics_service.proto
echo "generated: $(ls "../../$out"/*.pb.swift | wc -l) files in $out"
