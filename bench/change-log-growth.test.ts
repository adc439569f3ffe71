import { describe, expect, it } from 'vitest';
import { runChangeLogGrowth } from './change-log-growth';

// Keeps the benchmark itself honest (it runs the real write path and compaction); the month-long
// figures are measured by `npm run bench -- changelog`, not here.
describe('change-log growth bench', () => {
  it('counts every appended entry and keeps only what a consumer still needs', async () => {
    const [line] = await runChangeLogGrowth({ days: 2, hoursPerDay: 0.5 });
    expect(line!.pageViews).toBe(30);
    expect(line!.logEntriesAppended).toBeGreaterThanOrEqual(30 * 10);
    expect(line!.logEntriesKept as number).toBeLessThan((line!.logEntriesAppended as number) / 5);
    expect(line!.databaseBytesWithCompaction as number).toBeLessThan(line!.databaseBytesWithoutCompaction as number);
  });
});
