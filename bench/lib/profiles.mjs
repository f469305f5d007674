// How much each measurement does, in the full run and in the quick run the
// test suite uses to prove the bench still works. Every loop is bounded in
// count and in time; `*MaxMs` is per measured process.

const KIB = 1024;
const MIB = 1024 * KIB;

/** Record sizes of the growth measurement. */
export const GROWTH_RECORD_BYTES = [100, 10 * KIB, MIB];
/** Batch sizes of the growth measurement. */
export const GROWTH_BATCH_SIZES = [1, 10, 100];
/** Clip sizes of the audio growth measurement (1 MiB: the memory clip). */
export const AUDIO_CLIP_BYTES = [100, 10 * KIB, MIB];
/** The clip of the per-push and 10,000-push runs of audioUpload. */
export const SMALL_CLIP_BYTES = 10 * KIB;
/** Text of the one-record events of the per-push runs. */
export const SAMPLE_RECORD_BYTES = 100;
/** Batch size of the throughput measurement. */
export const BATCH_SIZE = 10;

export const PROFILES = {
  full: {
    coldStartRuns: 15,
    warmRepetitions: 3,
    warmupPushes: 200,
    warmPushes: 3000,
    warmMaxMs: 15_000,
    batchRepetitions: 3,
    batchRecords: 10_000,
    batchWarmupRecords: 500,
    batchMaxMs: 60_000,
    memoryPushes: 10_000,
    // audioUpload reads each clip from s3rver: 10,000 of them take minutes.
    memoryMaxMs: 240_000,
    bigClipPushes: 300,
    growthMaxRecords: 2000,
    // Caps the text a growth process pushes, so 100 x 1 MiB stays bounded.
    growthMaxPayloadBytes: 64 * MIB,
    growthMaxMs: 20_000,
    childTimeoutMs: 300_000,
  },
  quick: {
    coldStartRuns: 1,
    warmRepetitions: 1,
    warmupPushes: 10,
    warmPushes: 40,
    warmMaxMs: 3000,
    batchRepetitions: 1,
    batchRecords: 300,
    batchWarmupRecords: 20,
    batchMaxMs: 5000,
    memoryPushes: 60,
    memoryMaxMs: 5000,
    bigClipPushes: 5,
    growthMaxRecords: 20,
    growthMaxPayloadBytes: 4 * MIB,
    growthMaxMs: 3000,
    childTimeoutMs: 30_000,
  },
};
