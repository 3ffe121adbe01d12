import ArgumentParser
import Foundation
import TributaryHTTPClient
import TributaryNode
import TributaryTLS

/// How the CLI reaches a node's HTTP API (`trib query`, `trib cluster
/// status|repair`): HTTPS verified with `--ca`, an optional client
/// certificate, and a token sent as `Authorization: Bearer`. Each option
/// falls back to an environment variable, so a shell set up once
/// (`TRIB_CA`, `TRIB_TOKEN`, …) needs no flags.
struct NodeHTTPOptions: ParsableArguments {
    @Option(help: "The node's HTTP API (its http_listen address): https://host:port, or http:// for a node with insecure: true.")
    var node = "https://127.0.0.1:7401"

    @Option(help: "A token of the node (default: $TRIB_TOKEN); its roles must allow the request (query; admin for cluster status and repair).")
    var token: String?

    @Option(help: "The CA bundle that issued the node's certificate (default: $TRIB_CA, else the system's CAs).")
    var ca: String?

    @Option(help: "A client certificate (PEM), for nodes that require one or map it to a tenant (default: $TRIB_CERT).")
    var cert: String?

    @Option(help: "The client certificate's private key (default: $TRIB_KEY).")
    var key: String?

    @Option(help: "The name the node's certificate carries (default: the host of --node).")
    var serverName: String?

    /// Where to connect, with TLS unless the URL says http://.
    struct Endpoint {
        let host: String
        let port: Int
        let tls: HTTPGetClient.TLS?
        let headers: [String: String]
    }

    /// - Parameter tokenRequired: whether to refuse to go on without a token.
    func endpoint(tokenRequired: Bool = true, purpose: String = "one of the node's tokens") throws -> Endpoint {
        let environment = ProcessInfo.processInfo.environment
        guard let url = URLComponents(string: node.contains("://") ? node : "https://" + node), let host = url.host,
              url.scheme == "https" || url.scheme == "http" else {
            throw ValidationError("--node: expected https://host:port (or http:// for an insecure node), found \(node)")
        }
        var tls: HTTPGetClient.TLS?
        if url.scheme == "https" {
            var configuration = TLSConfiguration()
            configuration.trustedCAFile = ca ?? environment["TRIB_CA"]
            configuration.certificateChainFile = cert ?? environment["TRIB_CERT"]
            configuration.privateKeyFile = key ?? environment["TRIB_KEY"]
            if (configuration.certificateChainFile == nil) != (configuration.privateKeyFile == nil) {
                throw ValidationError("--cert and --key (or TRIB_CERT and TRIB_KEY) go together: give both or neither")
            }
            do {
                tls = HTTPGetClient.TLS(context: try TLSContext(configuration: configuration, role: .client), serverName: serverName)
            } catch {
                throw ValidationError("cannot set up TLS for \(node): \(error)")
            }
        }
        var headers: [String: String] = [:]
        if let token = token ?? environment["TRIB_TOKEN"], !token.isEmpty {
            headers["Authorization"] = "Bearer \(token)"
        } else if tokenRequired && tls?.context.configuration.certificateChainFile == nil {
            throw ValidationError("a token is needed: --token or TRIB_TOKEN (\(purpose))")
        }
        return Endpoint(host: host, port: url.port ?? 7401, tls: tls, headers: headers)
    }
}
