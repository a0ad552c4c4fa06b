import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL

/// How the server is reached: plain HTTP on the loopback address by default, the shop's network with
/// `STOCKROOM_HOST=0.0.0.0`, and HTTPS of its own with `STOCKROOM_TLS_CERT`/`STOCKROOM_TLS_KEY` (a tablet's camera and
/// an installable web app need a secure context, and a small shop may have no proxy to end TLS).
extension AppConfig {
    /// Whether the server speaks HTTPS itself.
    public var servesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

    /// Only this machine can connect: nothing crosses a network in the clear.
    var listensOnLoopbackOnly: Bool {
        ["localhost", "::1"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// HTTP/1.1, inside TLS when configured. A certificate or key that does not load stops the start with a message
    /// naming the file, not NIOSSL's error code alone.
    func serverBuilder() throws -> HTTPServerBuilder {
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Int64(idleTimeoutSeconds))))
        guard servesTLS, let certificatePath = tlsCertificatePath, let keyPath = tlsKeyPath else { return http }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ConfigError(problems: ["STOCKROOM_TLS_CERT=\(certificatePath) is not a PEM certificate chain: \(error)"])
        }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigError(problems: ["STOCKROOM_TLS_KEY=\(keyPath) is not a PEM private key: \(error)"])
        }
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(http, tlsConfiguration: tls)
    }

    /// Says where the server is reached; warns when passwords and session cookies would cross the network in the clear.
    func announceAddress(logger: Logger) {
        logger.info("Stockroom \(StockroomVersion.current) starting, to listen on \(servesTLS ? "https" : "http")://\(host):\(port)")
        if !servesTLS, !listensOnLoopbackOnly {
            logger.warning(
                """
                Serving plain HTTP on \(host), outside this machine: passwords and session cookies cross the network \
                unencrypted, and browsers refuse the camera and app install. Set STOCKROOM_TLS_CERT and STOCKROOM_TLS_KEY, \
                or listen on 127.0.0.1 behind a proxy that serves HTTPS (README, "Behind a reverse proxy")
                """)
        }
    }
}
