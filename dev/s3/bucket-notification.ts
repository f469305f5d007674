import type { S3Event } from 'aws-lambda';
import type { BucketNotification } from '../lambda/service-template.js';

/**
 * Whether a notification of the template applies to an event: its bucket,
 * its event type (`s3:ObjectCreated:*` or an exact one), and its key prefix
 * and suffix filters.
 */
export function notificationApplies(
  notification: BucketNotification,
  event: S3Event,
): boolean {
  const record = event.Records[0];
  if (!record || record.s3.bucket.name !== notification.bucket) return false;

  const pattern = notification.event.replace(/^s3:/, '');
  const typeMatches = pattern.endsWith('*')
    ? record.eventName.startsWith(pattern.slice(0, -1))
    : record.eventName === pattern;
  const key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
  return (
    typeMatches &&
    key.startsWith(notification.prefix ?? '') &&
    key.endsWith(notification.suffix ?? '')
  );
}
