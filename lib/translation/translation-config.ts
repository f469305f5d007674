import { type Env, oneOf, positiveInteger } from '../env.js';
import { loadPushConfig } from '../push-config.js';

export const DEFAULT_PUSH_CONCURRENCY = 10;
// A translation segment is a sentence or a few: 32 KiB holds about 10,000
// CJK characters or 30,000 Latin ones, far beyond any caption, while keeping
// each WebSocket frame small for phones. Larger text means a producer bug.
export const DEFAULT_MAX_TEXT_BYTES = 32_768;
// Least time a record needs beyond the push client's deadline margin: enough
// for one Push-Manager call (10 ms published for one user) with slack.
export const MIN_TIME_PER_RECORD_MS = 250;

export const UNDELIVERED_POLICIES = ['drop', 'retry'] as const;
/** What to do when Push-Manager answered but nobody received the text. */
export type UndeliveredPolicy = (typeof UNDELIVERED_POLICIES)[number];

export interface TranslationConfig {
  /** Records pushed at once (PUSH_CONCURRENCY). Default 10. */
  readonly concurrency: number;
  /** Most UTF-8 bytes of `text` (TRANSLATION_MAX_TEXT_BYTES). Default 32768. */
  readonly maxTextBytes: number;
  /** User not online (TRANSLATION_OFFLINE_POLICY). Default drop. */
  readonly offlinePolicy: UndeliveredPolicy;
  /** Room missing or empty (TRANSLATION_EMPTY_ROOM_POLICY). Default drop. */
  readonly emptyRoomPolicy: UndeliveredPolicy;
  /**
   * Remaining invocation time below which no further record starts: the push
   * client's deadline margin plus MIN_TIME_PER_RECORD_MS.
   */
  readonly timeReserveMs: number;
}

/** Reads and checks the translationResult settings once, at start. */
export function loadTranslationConfig(env: Env): TranslationConfig {
  return {
    concurrency: positiveInteger(
      env,
      'PUSH_CONCURRENCY',
      DEFAULT_PUSH_CONCURRENCY,
    ),
    maxTextBytes: positiveInteger(
      env,
      'TRANSLATION_MAX_TEXT_BYTES',
      DEFAULT_MAX_TEXT_BYTES,
    ),
    offlinePolicy: oneOf(
      env,
      'TRANSLATION_OFFLINE_POLICY',
      UNDELIVERED_POLICIES,
      'drop',
    ),
    emptyRoomPolicy: oneOf(
      env,
      'TRANSLATION_EMPTY_ROOM_POLICY',
      UNDELIVERED_POLICIES,
      'drop',
    ),
    timeReserveMs:
      loadPushConfig(env).deadlineMarginMs + MIN_TIME_PER_RECORD_MS,
  };
}
