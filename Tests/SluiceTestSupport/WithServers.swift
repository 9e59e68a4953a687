// Scoped helpers that start a server for the length of a closure and always stop it, even
// when the closure throws or a test expectation fails inside it.

import Foundation

/// Starts smtp-sink, runs `body`, stops the sink.
public func withSMTPSink<Result>(
    _ options: SMTPSink.Options = .acceptAll, _ body: (SMTPSink) throws -> Result
) throws -> Result {
    let sink = try SMTPSink(options: options)
    defer { sink.stop() }
    return try body(sink)
}

/// Starts a private Postfix, runs `body`, stops Postfix and deletes its folder.
public func withPrivatePostfix<Result>(
    _ options: PrivatePostfix.Options, _ body: (PrivatePostfix) throws -> Result
) throws -> Result {
    let postfix = try PrivatePostfix(options: options)
    defer { postfix.stop() }
    return try body(postfix)
}

/// Starts smtp-sink and a private Postfix relaying to it, runs `body`, stops both.
/// `configure` adjusts the Postfix options (milters, timeouts) once the sink's port is known.
public func withMailPath<Result>(
    sink sinkOptions: SMTPSink.Options = .acceptAll,
    configure: (inout PrivatePostfix.Options) -> Void = { _ in },
    _ body: (PrivatePostfix, SMTPSink) throws -> Result
) throws -> Result {
    try withSMTPSink(sinkOptions) { sink in
        var options = PrivatePostfix.Options(relayPort: sink.port)
        configure(&options)
        return try withPrivatePostfix(options) { postfix in
            try body(postfix, sink)
        }
    }
}
