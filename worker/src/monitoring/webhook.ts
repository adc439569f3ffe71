import type { StoredAlert } from './detect';

export type Poster = (url: string, init: RequestInit) => Promise<Response>;

const WEBHOOK_TIMEOUT_MS = 5_000;

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

/** Slack's incoming-webhook shape (`text`, with <url|label> links) — also accepted by Mattermost,
 * Rocket.Chat, Discord's /slack endpoint and most chat tools. */
export function slackMessage(alert: StoredAlert): { text: string } {
  const when = new Date(alert.startedAt).toISOString();
  const state = alert.closed ? `until ${new Date(alert.endedAt).toISOString()}` : 'still going on';
  return {
    text:
      `:rotating_light: CalicoLobster ${alert.kind} (${alert.direction}) in *${alert.series}* since ${when}, ${state}: ` +
      `${fmt(alert.value)} where ${fmt(alert.expected)} was expected (${alert.score.toFixed(1)}σ off, ${alert.points} points). ` +
      `<${alert.link}|Requests>`,
  };
}

/** Returns null when delivered, else why not (kept on the alert; it is retried on the next run). */
export async function postAlert(url: string, alert: StoredAlert, post: Poster): Promise<string | null> {
  try {
    const res = await post(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackMessage(alert)), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.ok ? null : `webhook answered HTTP ${res.status}`;
  } catch (error) {
    return `webhook unreachable: ${String(error).slice(0, 200)}`;
  }
}
