import type { DeadLetterFile } from '../dead-letter-file.js';
import type { LocalFunction } from '../lambda/local-function.js';
import type { QueueMapping } from '../lambda/service-template.js';
import type { StackLog } from '../terminal-log.js';
import { batchOutcome } from './batch-outcome.js';
import { newMessage, type QueuedMessage, sqsRecord } from './sqs-message.js';

// How often the poller looks for visible messages.
const POLL_INTERVAL_MS = 100;
// SQS refuses a message body over 256 KiB.
export const MAX_BODY_BYTES = 262_144;
const ACCOUNT_ID = '000000000000';

/** The body is one SQS would refuse. */
export class InvalidMessageError extends Error {}

export interface LocalQueueOptions {
  mapping: QueueMapping;
  /** The physical name, `{stack}-{logical id}`. */
  queueName: string;
  region: string;
  fn: LocalFunction;
  /** How long a received message stays hidden. */
  visibilityTimeoutMs: number;
  /** How long the poller gathers messages before it invokes. */
  batchingWindowMs: number;
  deadLetters: DeadLetterFile;
  log: StackLog;
}

/**
 * An SQS queue and Lambda's poller for it: messages are handed to the
 * function in batches; those that fail return after the visibility timeout
 * with a higher receive count, and after maxReceiveCount receives go to the
 * dead-letter file, as the queue's redrive policy says.
 */
export class LocalQueue {
  readonly #options: LocalQueueOptions;
  readonly #messages: QueuedMessage[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(options: LocalQueueOptions) {
    this.#options = options;
  }

  /** The event source mapping and queue settings from the template. */
  get mapping(): QueueMapping {
    return this.#options.mapping;
  }

  get name(): string {
    return this.#options.mapping.queue;
  }

  /** The function the queue's messages go to. */
  get functionKey(): string {
    return this.#options.fn.definition.key;
  }

  get arn(): string {
    const { region, queueName } = this.#options;
    return `arn:aws:sqs:${region}:${ACCOUNT_ID}:${queueName}`;
  }

  /** Messages waiting or being worked on. */
  get depth(): number {
    return this.#messages.length;
  }

  start(): void {
    this.#timer = setInterval(() => this.#poll(), POLL_INTERVAL_MS);
  }

  /** Stops polling and waits for the batch in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
  }

  /** SendMessage: queues a body with String message attributes. */
  send(body: string, attributes: Record<string, string> = {}): QueuedMessage {
    const bytes = Buffer.byteLength(body);
    if (bytes === 0) throw new InvalidMessageError('the body is empty');
    if (bytes > MAX_BODY_BYTES) {
      throw new InvalidMessageError(
        `the body is ${bytes} bytes; SQS takes at most ${MAX_BODY_BYTES}`,
      );
    }

    const message = newMessage(body, attributes, Date.now());
    this.#messages.push(message);
    this.#options.log.info(
      'queue',
      `${this.name}: message ${message.messageId} sent (${bytes} bytes)`,
    );
    return message;
  }

  #poll(): void {
    if (this.#inFlight) return;
    const now = Date.now();
    const visible = this.#messages.filter((m) => m.visibleAtMs <= now);
    if (visible.length === 0) return;

    const { maxReceiveCount } = this.#options.mapping;
    const exhausted = visible.filter(
      (m) => maxReceiveCount !== undefined && m.receiveCount >= maxReceiveCount,
    );
    const ready = visible.filter((m) => !exhausted.includes(m));
    const { batchSize } = this.#options.mapping;
    const waitingSince = Math.min(
      ...ready.map((m) => Math.max(m.sentAtMs, m.visibleAtMs)),
    );
    const windowOver = now - waitingSince >= this.#options.batchingWindowMs;
    const batch =
      ready.length >= batchSize || windowOver ? ready.slice(0, batchSize) : [];

    if (exhausted.length === 0 && batch.length === 0) return;
    this.#inFlight = this.#work(exhausted, batch).finally(() => {
      this.#inFlight = undefined;
    });
  }

  async #work(exhausted: QueuedMessage[], batch: QueuedMessage[]) {
    for (const message of exhausted) await this.#deadLetter(message);
    if (batch.length > 0) await this.#deliver(batch);
  }

  async #deliver(batch: QueuedMessage[]): Promise<void> {
    const { fn, mapping, region, visibilityTimeoutMs, log } = this.#options;
    const now = Date.now();
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceivedAtMs ??= now;
      message.visibleAtMs = now + visibilityTimeoutMs;
    }

    const records = batch.map((m) => sqsRecord(m, this.arn, region));
    const counts = batch.map((m) => m.receiveCount).join(',');
    const result = await fn.invoke(
      { Records: records },
      `${this.name} batch of ${batch.length} (receive counts ${counts})`,
    );
    const outcome = batchOutcome(
      result,
      batch.map((m) => m.messageId),
      mapping.reportBatchItemFailures,
    );

    for (const message of batch) {
      if (outcome.failedIds.has(message.messageId)) {
        // Visible again when its visibility timeout ends.
        message.visibleAtMs = Date.now() + visibilityTimeoutMs;
      } else {
        this.#messages.splice(this.#messages.indexOf(message), 1);
      }
    }

    const failed = outcome.failedIds.size;
    if (outcome.wholeBatchFailed) {
      log.warn(
        'queue',
        `${this.name}: batch failed: ${outcome.wholeBatchFailed}`,
      );
    }
    log.line(
      'queue',
      failed > 0 ? 'warn' : 'info',
      `${this.name}: ${batch.length - failed} deleted, ${failed} back in ` +
        `${visibilityTimeoutMs / 1000} s`,
    );
  }

  async #deadLetter(message: QueuedMessage): Promise<void> {
    const { mapping, fn, deadLetters, log } = this.#options;
    this.#messages.splice(this.#messages.indexOf(message), 1);
    const target = mapping.deadLetterQueue ?? 'dead-letter queue';
    await deadLetters.append({
      at: new Date().toISOString(),
      source: target,
      functionName: fn.definition.key,
      reason:
        `received ${message.receiveCount} times without success ` +
        `(maxReceiveCount ${mapping.maxReceiveCount})`,
      event: {
        messageId: message.messageId,
        body: message.body,
        md5OfBody: message.md5OfBody,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAtMs),
        },
        messageAttributes: message.messageAttributes,
      },
    });
    log.warn(
      'queue',
      `${this.name}: message ${message.messageId} moved to ${target} after ` +
        `${message.receiveCount} receives`,
    );
  }
}
