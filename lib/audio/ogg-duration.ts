import type { IRandomAccessTokenizer } from 'strtok3';

const OPUS_SAMPLE_RATE = 48_000;
const PAGE_HEADER_BYTES = 27;
// The largest Ogg page: its header, 255 lacing values, 255 segments of 255.
const MAX_PAGE_BYTES = PAGE_HEADER_BYTES + 255 + 255 * 255;
// Voice clips end in a page of a few KiB; try a small read first.
const TAIL_WINDOWS_BYTES = [8192, MAX_PAGE_BYTES] as const;
const OPUS_HEAD = new TextEncoder().encode('OpusHead');
const OPUS_HEAD_SEARCH_BYTES = 512;

function isPageStart(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x4f &&
    bytes[at + 1] === 0x67 &&
    bytes[at + 2] === 0x67 &&
    bytes[at + 3] === 0x53 &&
    bytes[at + 4] === 0
  );
}

function pageLength(bytes: Uint8Array, at: number): number {
  const segments = bytes[at + 26] ?? 0;
  let length = PAGE_HEADER_BYTES + segments;
  for (let i = 0; i < segments; i += 1) {
    length += bytes[at + PAGE_HEADER_BYTES + i] ?? 0;
  }
  return length;
}

/**
 * The granule position of the page that ends exactly where `tail` ends, that
 * is the last page of the file; undefined when the tail holds no such page.
 * Requiring the page to end at the end of the file rules out an `OggS` that
 * merely occurs inside audio data.
 */
export function lastGranulePosition(tail: Uint8Array): bigint | undefined {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.length - PAGE_HEADER_BYTES; at >= 0; at -= 1) {
    if (!isPageStart(tail, at)) continue;
    if (at + PAGE_HEADER_BYTES + (tail[at + 26] ?? 0) > tail.length) continue;
    if (at + pageLength(tail, at) !== tail.length) continue;

    const granule = view.getBigInt64(at + 6, true);
    return granule >= 0n ? granule : undefined;
  }
  return undefined;
}

async function peekAt(
  tokenizer: IRandomAccessTokenizer,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const read = await tokenizer.peekBuffer(buffer, {
    position,
    mayBeLess: true,
  });
  return buffer.subarray(0, read);
}

/** Opus's pre-skip: samples at the start that the decoder throws away. */
async function opusPreSkip(tokenizer: IRandomAccessTokenizer) {
  const size = Math.min(tokenizer.fileInfo.size, OPUS_HEAD_SEARCH_BYTES);
  const head = await peekAt(tokenizer, 0, size);
  const at = head.findIndex((_, i) =>
    OPUS_HEAD.every((byte, j) => head[i + j] === byte),
  );
  if (at < 0 || at + 12 > head.length) return 0;
  return new DataView(head.buffer, head.byteOffset).getUint16(at + 10, true);
}

/**
 * The duration of an Ogg file from its last page, read with one or two range
 * reads of the end of the file rather than a walk over every page (which
 * music-metadata does to find it). `sampleRate` is the stream's; Opus counts
 * in 48 kHz whatever it says. Assumes one logical stream, as clips have.
 */
export async function oggDurationMs(
  tokenizer: IRandomAccessTokenizer,
  codec: string | undefined,
  sampleRate: number | undefined,
): Promise<number | undefined> {
  const size = tokenizer.fileInfo.size;
  let granule: bigint | undefined;
  for (const window of TAIL_WINDOWS_BYTES) {
    const start = Math.max(0, size - window);
    granule = lastGranulePosition(await peekAt(tokenizer, start, size - start));
    if (granule !== undefined || start === 0) break;
  }
  if (granule === undefined) return undefined;

  const isOpus = codec?.toLowerCase() === 'opus';
  const rate = isOpus ? OPUS_SAMPLE_RATE : sampleRate;
  if (!rate) return undefined;

  const preSkip = isOpus ? await opusPreSkip(tokenizer) : 0;
  const samples = Math.max(0, Number(granule) - preSkip);
  return Math.round((samples / rate) * 1000);
}
