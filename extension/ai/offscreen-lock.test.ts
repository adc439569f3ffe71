import { describe, expect, it } from 'vitest';
import { PriorityLock, yieldToEvents } from './offscreen-lock';

describe('PriorityLock', () => {
  it('runs one task at a time and lets a waiting query jump the indexing queue', async () => {
    const lock = new PriorityLock();
    const order: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      await new Promise((r) => setTimeout(r, 5));
      order.push(name);
      running--;
    };
    await Promise.all([
      lock.run('background', task('batch-1')),
      lock.run('background', task('batch-2')),
      lock.run('urgent', task('query')),
    ]);
    expect(order).toEqual(['batch-1', 'query', 'batch-2']);
  });

  it('releases the lock when a task throws', async () => {
    const lock = new PriorityLock();
    await expect(lock.run('urgent', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run('urgent', async () => 42)).toBe(42);
  });

  it('with a pause before background work, a query that arrives as an event between batches goes first', async () => {
    // Inside the embedder's worker a query is a message event, delivered only once the running batch
    // (synchronous WASM work) has returned: here it is a timer set during the batch.
    const pause = () => new Promise<void>((r) => setTimeout(r, 5));
    const order: string[] = [];
    const run = async (lock: PriorityLock) => {
      order.length = 0;
      const batch = (name: string) => async () => {
        order.push(name);
        if (name === 'batch-1') setTimeout(() => void lock.run('urgent', async () => void order.push('query')), 0);
      };
      await Promise.all([lock.run('background', batch('batch-1')), lock.run('background', batch('batch-2'))]);
      await pause();
      return [...order];
    };
    expect(await run(new PriorityLock(pause))).toEqual(['batch-1', 'query', 'batch-2']);
    // Without the pause the second batch starts before the query is seen.
    expect(await run(new PriorityLock())).toEqual(['batch-1', 'batch-2', 'query']);
  });

  it('a query arriving while background work pauses to start still goes first', async () => {
    const lock = new PriorityLock(yieldToEvents);
    const order: string[] = [];
    const background = lock.run('background', async () => void order.push('batch'));
    const query = lock.run('urgent', async () => void order.push('query'));
    await Promise.all([background, query]);
    expect(order).toEqual(['query', 'batch']);
    expect(await lock.run('background', async () => 7)).toBe(7);
  });
});
