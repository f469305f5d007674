import { Transform, type TransformCallback } from 'node:stream';

const CRLF = Buffer.from('\r\n');
// A chunk header is a hex size and, when signed, `;chunk-signature=<64 hex>`.
const MAX_HEADER_BYTES = 1024;

/**
 * Whether a request body is `aws-chunked`: the SDK v3 and CLI v2 stream
 * uploads that way, with the checksum in a trailer
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
 */
export function isAwsChunked(contentEncoding: string | undefined): boolean {
  return (contentEncoding ?? '')
    .split(',')
    .some((coding) => coding.trim() === 'aws-chunked');
}

/** The `Content-Encoding` left once `aws-chunked` has been decoded. */
export function withoutAwsChunked(contentEncoding: string): string | undefined {
  const rest = contentEncoding
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'aws-chunked');
  return rest.length ? rest.join(', ') : undefined;
}

/**
 * Turns an `aws-chunked` body back into the object's bytes: each chunk is
 * `<hex size>[;chunk-signature=...]\r\n<bytes>\r\n`, a zero-size chunk ends
 * the data, and trailer headers (checksums) follow it, which are dropped.
 */
export class AwsChunkedDecoder extends Transform {
  #pending = Buffer.alloc(0);
  #left = 0;
  #state: 'header' | 'data' | 'data-end' | 'trailer' = 'header';

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    try {
      this.#drain();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.#state !== 'trailer') {
      done(new Error('aws-chunked body ended before its last chunk'));
      return;
    }
    done();
  }

  #drain(): void {
    while (this.#pending.length > 0) {
      if (this.#state === 'trailer') {
        this.#pending = Buffer.alloc(0);
        return;
      }

      if (this.#state === 'data') {
        const take = Math.min(this.#left, this.#pending.length);
        this.push(this.#pending.subarray(0, take));
        this.#pending = this.#pending.subarray(take);
        this.#left -= take;
        if (this.#left === 0) this.#state = 'data-end';
        continue;
      }

      const lineEnd = this.#pending.indexOf(CRLF);
      if (lineEnd < 0) {
        if (this.#pending.length > MAX_HEADER_BYTES) {
          throw new Error('aws-chunked chunk header is too long');
        }
        return;
      }
      const line = this.#pending.subarray(0, lineEnd).toString('latin1');
      this.#pending = this.#pending.subarray(lineEnd + CRLF.length);

      if (this.#state === 'data-end') {
        if (line !== '') throw new Error('aws-chunked chunk overruns its size');
        this.#state = 'header';
        continue;
      }

      const size = Number.parseInt(line.split(';')[0] ?? '', 16);
      if (!Number.isInteger(size) || size < 0) {
        throw new Error(`aws-chunked chunk header "${line}" has no size`);
      }
      this.#left = size;
      this.#state = size === 0 ? 'trailer' : 'data';
    }
  }
}
