import * as z from '../zod.js';

// The last second of year 9999: a larger number is milliseconds sent by
// mistake, which would put the text thousands of years ahead.
const MAX_UNIX_SECONDS = 253_402_300_799;
const MAX_ID_LENGTH = 256;
// BCP-47 in shape: a language of 2-8 letters, then subtags of 1-8 letters or
// digits (en, en-US, zh-Hans-CN). 35 characters is RFC 5646's usual bound.
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const MAX_LANGUAGE_TAG_LENGTH = 35;

/** Who receives the translation: one user, or everyone in a room. */
export type TranslationTarget =
  | { kind: 'user'; userId: string }
  | { kind: 'room'; roomId: string };

/** A valid translation result, as the handler pushes it. */
export interface TranslationResult {
  target: TranslationTarget;
  text: string;
  sourceLanguage: string;
  targetLanguage: string;
  segmentId?: string;
  final?: boolean;
  /** Unix seconds. */
  timestamp?: number;
  messageId?: string;
}

/** One reason a body was refused, without the value that caused it. */
export interface BodyIssue {
  path: string;
  code: string;
  message: string;
}

export type BodyParse =
  | { ok: true; result: TranslationResult }
  | { ok: false; reason: string; issues: BodyIssue[] };

const id = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(MAX_ID_LENGTH));

const languageTag = z
  .string()
  .check(
    z.maxLength(MAX_LANGUAGE_TAG_LENGTH),
    z.regex(LANGUAGE_TAG, 'must be a BCP-47 language tag such as en-US'),
  );

// No transform inside the union: zod then reports the one branch that matched
// the value's type (a too large number) instead of a bare "invalid input".
const timestamp = z.pipe(
  z.union(
    [
      z
        .number()
        .check(
          z.nonnegative(),
          z.maximum(MAX_UNIX_SECONDS, 'must be Unix seconds, not milliseconds'),
        ),
      z.iso.datetime({ offset: true }),
    ],
    { error: 'must be Unix seconds or an ISO-8601 date-time' },
  ),
  z.transform((value: number | string) =>
    typeof value === 'number'
      ? Math.floor(value)
      : Math.floor(Date.parse(value) / 1000),
  ),
);

function bodySchema(maxTextBytes: number) {
  return z
    .object({
      userId: z.optional(id),
      roomId: z.optional(id),
      text: z.string().check(
        z.minLength(1),
        z.refine((text) => Buffer.byteLength(text, 'utf8') <= maxTextBytes, {
          message: `must be at most ${maxTextBytes} UTF-8 bytes`,
        }),
      ),
      sourceLanguage: languageTag,
      targetLanguage: languageTag,
      segmentId: z.optional(
        z.pipe(
          z.union([id, z.number().check(z.int(), z.nonnegative())]),
          z.transform(String),
        ),
      ),
      final: z.optional(z.boolean()),
      timestamp: z.optional(timestamp),
      messageId: z.optional(id),
    })
    .check(
      z.refine(
        (body) => (body.userId === undefined) !== (body.roomId === undefined),
        { message: 'exactly one of userId and roomId is required' },
      ),
    );
}

function toIssue(issue: z.core.$ZodIssue): BodyIssue {
  return {
    path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    code: issue.code,
    message: issue.message,
  };
}

/**
 * A parser for SQS message bodies holding a translation result. Unknown
 * fields are ignored. The issues name fields and rules, never the values,
 * so they are safe to log.
 */
export function createTranslationBodyParser(maxTextBytes: number) {
  const schema = bodySchema(maxTextBytes);

  return (body: string): BodyParse => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      // JSON.parse quotes part of the input in its message: not for logs.
      return { ok: false, reason: 'body is not valid JSON', issues: [] };
    }

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        reason: 'body does not match the translation result schema',
        issues: parsed.error.issues.map(toIssue),
      };
    }

    const { userId, roomId, ...rest } = parsed.data;
    const target: TranslationTarget =
      userId !== undefined
        ? { kind: 'user', userId }
        : { kind: 'room', roomId: roomId as string };
    return { ok: true, result: { target, ...rest } };
  };
}
