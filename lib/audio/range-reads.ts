import type {
  GetObjectCommand,
  GetObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';

interface ResponseBody {
  readonly readableEnded?: boolean;
  destroy?: () => void;
}

/**
 * The S3 client as the range tokenizer sees it: it counts the ranged GETs
 * and their bytes, remembers the first S3 failure (so a failed read is not
 * taken for a file that is not audio), and releases the bodies the tokenizer
 * left unread, which would otherwise hold their connections.
 */
export class RangeReads {
  requests = 0;
  bytes = 0;
  failure: unknown;
  readonly #s3: S3Client;
  readonly #bodies: ResponseBody[] = [];

  constructor(s3: S3Client) {
    this.#s3 = s3;
  }

  async send(
    command: GetObjectCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<GetObjectCommandOutput> {
    try {
      const output = await this.#s3.send(command, options);
      this.requests += 1;
      this.bytes += output.ContentLength ?? 0;
      if (output.Body) this.#bodies.push(output.Body as ResponseBody);
      return output;
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  /** Drops the connections of responses whose body was never read. */
  release(): void {
    for (const body of this.#bodies.splice(0)) {
      if (!body.readableEnded) body.destroy?.();
    }
  }
}
