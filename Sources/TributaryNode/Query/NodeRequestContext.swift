import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the request's channel, so a query can
/// notice its client leaving (Hummingbird does not cancel a handler when
/// the connection closes).
struct NodeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
