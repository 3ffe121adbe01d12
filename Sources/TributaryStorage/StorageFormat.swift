/// # Tributary storage: the on-disk format
///
/// One node's data directory (`data_dir`):
/// ```
/// wal/wal-<first sequence, 16 hex>.log     write-ahead log segments (WriteAheadLog)
/// checkpoint                               WAL sequence covered by blocks + which batches are stored (StorageCheckpoint)
/// partitions/<tenant>/<bucket>/            one directory per partition, e.g. 20261122T060000Z-3600s
///                                          (in a cluster 20261122T060000Z-3600s-s2of3: shard 2 of 3)
///     b-<cycle>.tblk                       batch bodies as received, written by one flush (BatchBlockWriter)
///     l-<cycle>.tblk  m-<cycle>.tblk       log / metric blocks of a flush of records given without a body (BlockWriter)
///     sl-<through>.tblk sm-<through>.tblk  sealed blocks: every flush up to `through`, recompressed
///     SEAL                                 through, record count, SHA-256 of the sealed blocks (PartitionSeal)
///     *.corrupt                            quarantined blocks, kept for inspection, never read
/// ```
///
/// ## The path of a record
/// 1. A batch is decoded and checked, then appended (still compressed, as
///    received, with its tenant) to the write-ahead log: one CRC32C-checked
///    record, fsync'd with the other batches of its group commit. Only then
///    is it acknowledged.
/// 2. In log order, the batch body (still compressed) goes to the in-memory
///    head of each partition its records belong to (tenant × time bucket,
///    by each record's own timestamp, so late data lands in its own
///    bucket; in a cluster also × shard, keeping only the partitions this
///    node replicates), with the streams and time range of those records.
///    Readers of a batch body keep only the records of their partition.
/// 3. Every 10 s or 32 MiB, all heads are flushed: one batch block per
///    partition holding the bodies as received (nothing is recompressed),
///    named after the last log sequence they cover (`cycle`). Then
///    `checkpoint` is rewritten and the log it covers is deleted (the
///    segment being written too, once everything in it is covered).
/// 4. Once a bucket has ended and no data arrived for it for the seal grace
///    (10 min), its blocks are
///    merged stream by stream (in passes of at most ~256 MiB of streams)
///    into `sl-`/`sm-` blocks at zlib level 9, each chunk with a trigram
///    filter (log chunks store their lines as templates and value columns:
///    block version 3, `TemplateColumnsWriter`, docs/storage.md; version 2
///    blocks, `TemplatedTextWriter`, are still read), and a
///    `SEAL` is written; the merged blocks are deleted 30 s
///    later (queries under way may still read them). Sealed
///    blocks are canonical (chunks by stream id, records by time then
///    content, fixed chunk sizes), so replicas with the same records have
///    the same bytes and the same digest. Late data after a seal makes new
///    flush blocks; the partition is sealed again, with a new digest.
/// 5. Partitions whose bucket ended longer ago than the tenant's retention
///    are deleted whole.
///
/// ## Checksums
/// WAL records: CRC32C over sequence and payload. Blocks and batch blocks:
/// CRC32C per chunk or body and over the index; magic numbers at both ends.
/// Checkpoint: CRC32C over the whole file. Sealed partitions: SHA-256.
///
/// ## What a crash can leave, and what start-up does
/// - A torn or unsynced WAL tail (never acknowledged): detected by length
///   and checksum, truncated.
/// - `*.tmp` files (a block, checkpoint or SEAL being written): deleted; the
///   real file is written by rename only after a sync.
/// - Flush blocks newer than `checkpoint`: deleted; their records are still
///   in the log and are applied again, so nothing appears twice.
/// - A seal that wrote its blocks but not `SEAL`: the new sealed blocks are
///   deleted and the partition is sealed again later. A seal that wrote
///   `SEAL` but did not delete the blocks it merged: they are deleted.
/// - A crash cannot lose an acknowledged record: the log is deleted only up
///   to a checkpoint written after the blocks holding those records were
///   synced, and `checkpoint` records which batches are stored, so a batch
///   resent after its log segment is gone is still recognised.
///
/// ## Damage that is not a crash (bad disks, operators)
/// - A WAL segment damaged before its end: kept records are used, the rest
///   is copied to `<segment>.corrupt`.
/// - A block whose header, index or chunk fails its checks: renamed to
///   `<block>.corrupt` with a log line naming it; queries and sealing go on
///   without it (in a cluster, repair fetches it from a replica).
public enum StorageFormat {}
