import ArgumentParser
import Foundation
import TributaryAPI

/// `trib fleet sources`: every source with its rate and baseline.
struct FleetSourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List the sources (files, syslog senders, scrape targets, push clients): first and last seen, rate, usual rate."
    )

    @OptionGroup var connection: NodeHTTPOptions

    @Flag(help: "Only sources that are silent now.")
    var silent = false

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let body = try FleetHTTP.get(connection, path: "/api/v1/fleet/sources", query: silent ? [URLQueryItem(name: "silent", value: "true")] : [])
        if json {
            FileHandle.standardOutput.write(Data(body))
            return
        }
        let answer = try JSONDecoder().decode(FleetSourcesResponse.self, from: Data(body))
        FleetHTTP.warn(answer.warnings)
        FileHandle.standardOutput.write(Data(Self.text(answer.data.sources).utf8))
    }

    static func text(_ sources: [FleetSource]) -> String {
        guard !sources.isEmpty else { return "no sources\n" }
        let rows = [["SOURCE", "FIRST SEEN", "LAST SEEN", "RECORDS", "PER MIN", "USUAL/MIN", "STATE"]] + sources.map { source in
            [source.key, FleetHTTP.short(source.firstSeen), FleetHTTP.short(source.lastSeen), String(source.records),
             String(format: "%.0f", source.recordsPerMinute), String(format: "%.1f", source.usualPerMinute),
             source.silent ? "silent" : (source.silentAfterSeconds == nil ? "new" : "ok")]
        }
        return FleetHTTP.table(rows)
    }
}
