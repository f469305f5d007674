import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  type ItemVerdict,
  isReported,
  runBatch,
} from '../lib/batch/run-batch.js';

interface Item {
  id: string;
  key?: string;
  verdict?: ItemVerdict | 'throw';
}

/** Runs the items, recording start order and how many ran at once. */
async function run(
  items: Item[],
  options: { concurrency?: number; hasTimeForAnother?: () => boolean } = {},
) {
  const started: string[] = [];
  const inFlight = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  let maxPerKey = 0;

  const runs = await runBatch({
    items,
    orderKeyOf: (item) => item.key,
    concurrency: options.concurrency ?? 10,
    hasTimeForAnother: options.hasTimeForAnother ?? (() => true),
    process: async (item) => {
      const key = item.key ?? item.id;
      started.push(item.id);
      total += 1;
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      maxTotal = Math.max(maxTotal, total);
      maxPerKey = Math.max(maxPerKey, inFlight.get(key) ?? 0);

      await sleep(5);

      total -= 1;
      inFlight.set(key, (inFlight.get(key) ?? 0) - 1);
      if (item.verdict === 'throw') throw new Error(`${item.id} broke`);
      return { verdict: item.verdict ?? 'done', id: item.id };
    },
  });
  return { runs, started, maxTotal, maxPerKey };
}

function reportedIds(runs: Awaited<ReturnType<typeof run>>['runs']) {
  return runs.filter(isReported).map((entry) => entry.item.id);
}

describe('runBatch', () => {
  it('returns one run per item, in the order of the items', async () => {
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

    const { runs } = await run(items, { concurrency: 2 });

    expect(runs.map((entry) => entry.item.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(runs.every((entry) => entry.status === 'processed')).toBe(true);
    expect(reportedIds(runs)).toEqual([]);
  });

  it('never has more items in progress than its concurrency', async () => {
    const items = Array.from({ length: 12 }, (_, n) => ({ id: `item-${n}` }));

    const { runs, maxTotal } = await run(items, { concurrency: 3 });

    expect(maxTotal).toBe(3);
    expect(runs.filter((entry) => entry.status === 'processed')).toHaveLength(
      12,
    );
  });

  it('runs items of one key in order, one at a time, keys side by side', async () => {
    const items = [
      { id: 'a1', key: 'a' },
      { id: 'b1', key: 'b' },
      { id: 'a2', key: 'a' },
      { id: 'b2', key: 'b' },
      { id: 'a3', key: 'a' },
      { id: 'c1', key: 'c' },
    ];

    const { started, maxTotal, maxPerKey } = await run(items);

    expect(started.filter((id) => id.startsWith('a'))).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
    expect(started.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(maxPerKey).toBe(1);
    expect(maxTotal).toBe(3);
  });

  it('holds back the rest of a key after a retry; other keys go on', async () => {
    const items: Item[] = [
      { id: 'a1', key: 'a' },
      { id: 'a2', key: 'a', verdict: 'retry' },
      { id: 'b1', key: 'b' },
      { id: 'a3', key: 'a' },
      { id: 'b2', key: 'b' },
    ];

    const { runs, started } = await run(items);

    expect(started).not.toContain('a3');
    expect(started).toContain('b2');
    expect(reportedIds(runs)).toEqual(['a2', 'a3']);
    expect(runs[3]).toMatchObject({
      status: 'not_tried',
      reason: 'held_behind_failure',
    });
  });

  it('lets a key go on after a rejected item', async () => {
    const items: Item[] = [
      { id: 'a1', key: 'a', verdict: 'reject' },
      { id: 'a2', key: 'a' },
    ];

    const { runs, started } = await run(items);

    expect(started).toEqual(['a1', 'a2']);
    expect(reportedIds(runs)).toEqual(['a1']);
  });

  it('counts a processor that throws as a failure that holds its key back', async () => {
    const items: Item[] = [
      { id: 'a1', key: 'a', verdict: 'throw' },
      { id: 'a2', key: 'a' },
      { id: 'solo' },
    ];

    const { runs } = await run(items);

    expect(runs[0]).toMatchObject({ status: 'threw' });
    expect((runs[0] as { error: Error }).error.message).toBe('a1 broke');
    expect(reportedIds(runs)).toEqual(['a1', 'a2']);
  });

  it('starts no item once there is no time for another', async () => {
    const items = Array.from({ length: 6 }, (_, n) => ({ id: `item-${n}` }));
    let checks = 0;

    const { runs, started } = await run(items, {
      concurrency: 1,
      hasTimeForAnother: () => {
        checks += 1;
        return checks <= 2;
      },
    });

    expect(started).toEqual(['item-0', 'item-1']);
    expect(runs.slice(2).map((entry) => entry.status)).toEqual(
      Array(4).fill('not_tried'),
    );
    expect(runs[2]).toMatchObject({ reason: 'no_time_left' });
    expect(reportedIds(runs)).toEqual(['item-2', 'item-3', 'item-4', 'item-5']);
  });
});
