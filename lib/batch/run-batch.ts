/**
 * What one item's processor decided:
 * - `done`: handled for good (delivered, or dropped by policy);
 * - `retry`: not handled, may succeed later; on an ordered lane the items
 *   behind it wait too, so they stay in order;
 * - `reject`: can never succeed as it is; reported, but the items behind it
 *   go on, since an item that is never handled cannot come out of order.
 */
export type ItemVerdict = 'done' | 'retry' | 'reject';

/** Why an item was handed back without being tried. */
export type NotTriedReason = 'no_time_left' | 'held_behind_failure';

/** What became of one item, in the batch's own order. */
export type ItemRun<Item, Result> =
  | { item: Item; status: 'processed'; result: Result }
  | { item: Item; status: 'threw'; error: unknown }
  | { item: Item; status: 'not_tried'; reason: NotTriedReason };

export interface BatchOptions<Item, Result extends { verdict: ItemVerdict }> {
  readonly items: readonly Item[];
  /**
   * Items with the same key run one after another in batch order, and the
   * first `retry` (or throw) holds back the rest of that key. Items whose key
   * is undefined are independent of each other.
   */
  orderKeyOf(item: Item): string | undefined;
  /** The most items in progress at once; at least 1. */
  readonly concurrency: number;
  /** Asked before each item starts: false hands it back untried. */
  hasTimeForAnother(): boolean;
  process(item: Item): Promise<Result>;
}

interface Slot<Item> {
  readonly index: number;
  readonly item: Item;
}

/**
 * Splits the items into lanes: one lane per order key, in the order each key
 * first appears, and a lane of its own for every item without a key.
 */
function lanesOf<Item>(
  items: readonly Item[],
  orderKeyOf: (item: Item) => string | undefined,
): Slot<Item>[][] {
  const lanes: Slot<Item>[][] = [];
  const laneByKey = new Map<string, Slot<Item>[]>();

  items.forEach((item, index) => {
    const key = orderKeyOf(item);
    const known = key === undefined ? undefined : laneByKey.get(key);
    if (known) {
      known.push({ index, item });
      return;
    }

    const lane = [{ index, item }];
    lanes.push(lane);
    if (key !== undefined) laneByKey.set(key, lane);
  });
  return lanes;
}

function holdsLaneBack<Item, Result extends { verdict: ItemVerdict }>(
  run: ItemRun<Item, Result>,
): boolean {
  if (run.status === 'threw') return true;
  return run.status === 'processed' && run.result.verdict === 'retry';
}

/** Whether the item goes back to its source to be delivered again. */
export function isReported<Item, Result extends { verdict: ItemVerdict }>(
  run: ItemRun<Item, Result>,
): boolean {
  return run.status !== 'processed' || run.result.verdict !== 'done';
}

/**
 * Runs a batch with at most `concurrency` items in progress, keeping order
 * within each order key, and stops starting items once `hasTimeForAnother`
 * says no. Never rejects: a processor that throws counts as a `retry`.
 * Returns one run per item, in the order of `items`.
 */
export async function runBatch<Item, Result extends { verdict: ItemVerdict }>(
  options: BatchOptions<Item, Result>,
): Promise<ItemRun<Item, Result>[]> {
  const runs: ItemRun<Item, Result>[] = new Array(options.items.length);
  const lanes = lanesOf(options.items, options.orderKeyOf);
  let nextLane = 0;

  const leaveUntried = (slots: Slot<Item>[], reason: NotTriedReason) => {
    for (const { index, item } of slots) {
      runs[index] = { item, status: 'not_tried', reason };
    }
  };

  const runOne = async (item: Item): Promise<ItemRun<Item, Result>> => {
    try {
      return { item, status: 'processed', result: await options.process(item) };
    } catch (error) {
      return { item, status: 'threw', error };
    }
  };

  const runLane = async (lane: Slot<Item>[]) => {
    for (const [position, { index, item }] of lane.entries()) {
      if (!options.hasTimeForAnother()) {
        leaveUntried(lane.slice(position), 'no_time_left');
        return;
      }

      const run = await runOne(item);
      runs[index] = run;
      if (holdsLaneBack(run)) {
        leaveUntried(lane.slice(position + 1), 'held_behind_failure');
        return;
      }
    }
  };

  // Each worker takes the next lane until none is left, so no more than
  // `concurrency` items are ever in progress.
  const worker = async () => {
    while (nextLane < lanes.length) {
      const lane = lanes[nextLane] as Slot<Item>[];
      nextLane += 1;
      await runLane(lane);
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, lanes.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return runs;
}
