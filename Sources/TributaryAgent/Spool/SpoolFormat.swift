/// The agent's disk spool: where a batch waits, durable, from the moment the
/// agent takes responsibility for its records until a node acknowledges it.
///
/// ## Files
///
/// `<state_dir>/spool/`:
/// - `<first sequence, 20 digits>.tspool`: segments, appended in sequence
///   order. A new segment starts when the current one passes
///   `segmentBytes` (8 MiB). A segment is deleted once every batch in it is
///   acknowledged (or permanently refused) and it is no longer written to.
/// - `sequence`: the highest batch sequence ever assigned, as decimal text,
///   written (atomically, synced) before a segment is deleted. Sequences are
///   never reused, so the node never mistakes a new batch for a resend.
/// - `*.corrupt`: segments that failed their checks, renamed and left for
///   the operator; their intact batches were copied forward first.
///
/// ## Segment layout (integers big-endian)
///
/// ```
/// segment := "TSPL" u8 version(1) u8[3] zero, entry*
/// entry   := u32 length                 ; bytes after this field
///            u64 sequence
///            u32 record_count
///            u32 raw_length
///            u8  flags                  ; bit 0: body is raw DEFLATE
///            u16 position_count
///            position{position_count}   ; where each file stood after this batch
///            u32 body_length, body      ; the BATCH body exactly as sent
///            u32 crc32c                 ; of every byte from sequence to body
/// position := u64 device, u64 inode, u32 fingerprint, u16 fingerprint_length, u64 offset
/// ```
///
/// ## What a crash can leave
///
/// An entry is written with one `write` and made durable with `fdatasync`
/// before the forwarder may send it, so an acknowledged batch was always on
/// disk. A crash during the write leaves a torn tail on the newest segment:
/// recovery truncates it (those records were never acknowledged to anyone:
/// the input resumes before them). A damaged entry elsewhere (a bad length or
/// CRC) quarantines the segment: entries before the damage are copied into a
/// fresh segment, the file is renamed `.corrupt`, and an error names it.
/// Inputs that can re-read (files) start again from their acknowledged
/// checkpoint for any data that was only in the damaged part.
public enum SpoolFormat {
    static let magic: [UInt8] = Array("TSPL".utf8)
    static let version: UInt8 = 1
    static let headerBytes = 8
    static let segmentSuffix = ".tspool"
    static let corruptSuffix = ".corrupt"
    static let sequenceFile = "sequence"
    /// length field + sequence + counts + flags + position count + body length + CRC.
    static let entryOverhead = 4 + 8 + 4 + 4 + 1 + 2 + 4 + 4
    static let positionBytes = 8 + 8 + 4 + 2 + 8
    /// Refuse entries claiming more than this (a corrupt length field).
    static let maxEntryBytes = 256 << 20

    static func segmentName(firstSequence: UInt64) -> String {
        let digits = String(firstSequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + segmentSuffix
    }
}
