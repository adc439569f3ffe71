/**
 * Bounded polling: the suite never sleeps a fixed time and then asserts, it waits for a condition and
 * fails with a message naming what it waited for (and the last value seen) when the bound runs out.
 */
export interface WaitOptions {
  timeout?: number;
  interval?: number;
  message?: string;
}

export async function waitFor<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean = (value) => Boolean(value),
  { timeout = 60_000, interval = 250, message = 'condition' }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError ? `last error: ${String(lastError)}` : `last value: ${preview(last)}`;
      throw new Error(`timed out after ${timeout} ms waiting for ${message} (${seen})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

function preview(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s.length > 600 ? `${s.slice(0, 600)}…` : s;
  } catch {
    return String(value);
  }
}
