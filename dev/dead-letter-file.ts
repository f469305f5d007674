import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One message parked where the deployed stack would park it. */
export interface DeadLetter {
  at: string;
  /** The queue it would sit in, by its logical id in the template. */
  source: string;
  /** The function it was meant for. */
  functionName: string;
  reason: string;
  /** The SQS message, or Lambda's on-failure record, as AWS writes it. */
  event: unknown;
}

/**
 * The local stand-in for the service's dead-letter and on-failure queues:
 * one JSON line per message in a file, which survives a restart.
 */
export class DeadLetterFile {
  readonly path: string;
  readonly #onAppend: (entry: DeadLetter) => void;

  constructor(path: string, onAppend: (entry: DeadLetter) => void = () => {}) {
    this.path = path;
    this.#onAppend = onAppend;
  }

  async append(entry: DeadLetter): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
    this.#onAppend(entry);
  }

  /** Every entry, oldest first; a line that is not JSON is skipped. */
  async list(): Promise<DeadLetter[]> {
    if (!existsSync(this.path)) return [];
    const text = await readFile(this.path, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as DeadLetter];
        } catch {
          return [];
        }
      });
  }
}
