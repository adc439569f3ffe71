import { describe, expect, it } from 'vitest';
import { chooseEngine } from './chooser';
import { ExtractiveEngine } from './extractive';
import { WorkerEngine } from './worker-sse';
import type { Availability, Engine, EngineId } from './types';

function fake(id: EngineId, local: boolean, availability: Availability): Engine & { asked: number } {
  return {
    id,
    label: id,
    local,
    asked: 0,
    async available() {
      this.asked++;
      return availability;
    },
    async generate() {
      return id;
    },
  };
}

describe('chooseEngine', () => {
  it('never picks or even asks an engine that sends text away under "local only"', async () => {
    const worker = fake('worker', false, { status: 'available' });
    const choice = await chooseEngine([worker, new ExtractiveEngine()], 'local-only', 'worker');
    expect(choice.engine.id).toBe('extractive');
    expect(worker.asked).toBe(0);
    expect(choice.availability.worker).toBeUndefined();
  });

  it('uses the worker when the user allows it and nothing local can generate', async () => {
    const choice = await chooseEngine(
      [fake('webllm', true, { status: 'unavailable', reason: 'no gpu' }), fake('worker', false, { status: 'available' }), new ExtractiveEngine()],
      'allow-worker',
    );
    expect(choice.engine.id).toBe('worker');
  });

  it('prefers a local generator over the worker, and any generator over quoting', async () => {
    const engines = [fake('built-in', true, { status: 'available' }), fake('worker', false, { status: 'available' }), new ExtractiveEngine()];
    expect((await chooseEngine(engines, 'allow-worker')).engine.id).toBe('built-in');
  });

  it('does not start a download on its own, but honours an explicit choice of a downloadable engine', async () => {
    const webllm = fake('webllm', true, { status: 'downloadable' });
    expect((await chooseEngine([webllm, new ExtractiveEngine()], 'local-only')).engine.id).toBe('extractive');
    expect((await chooseEngine([webllm, new ExtractiveEngine()], 'local-only', 'webllm')).engine.id).toBe('webllm');
  });

  it('falls back to quoting even when no engine is given', async () => {
    const choice = await chooseEngine([], 'local-only');
    expect(choice.engine.id).toBe('extractive');
    expect(choice.reason).toMatch(/no generator/);
  });

  it('the real worker engine reports itself unavailable under "local only"', async () => {
    const worker = new WorkerEngine({ config: async () => ({ privacy: 'local-only', baseUrl: 'http://127.0.0.1:1', token: null }) });
    // Even if a caller bypasses the chooser's filter, the engine's own check holds.
    expect((await worker.available()).status).toBe('unavailable');
  });
});
