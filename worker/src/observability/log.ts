/** One JSON object per line: Workers Logs / `wrangler tail` index the fields. */
export function logJson(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
}
