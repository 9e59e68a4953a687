// The outcome of undoing a content transfer encoding, shared by all the decoders.
// Decoders never fail: they return what they could decode and say what was malformed.

/// Decoded bytes plus what the decoder had to tolerate on the way.
struct TransferDecoding: Sendable {
    var bytes: [UInt8]
    /// A description of the damage, or nil when the input was well formed.
    var damage: String?
    /// Whether decoding stopped early because the output budget ran out.
    var truncated: Bool

    init(bytes: [UInt8], damage: String? = nil, truncated: Bool = false) {
        self.bytes = bytes
        self.damage = damage
        self.truncated = truncated
    }
}
