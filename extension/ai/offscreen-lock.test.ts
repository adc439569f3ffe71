import { describe, expect, it } from 'vitest';
import { PriorityLock } from './offscreen-lock';

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
});
