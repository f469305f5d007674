import { createHash } from 'node:crypto';

/**
 * A message id that is the same every time the same source event is handled,
 * so clients can drop a push they have already shown. `parts` name the event
 * (bucket, key and version; schedule and time); the prefix tells its kind.
 */
export function stableMessageId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${prefix}-${digest.slice(0, 32)}`;
}
