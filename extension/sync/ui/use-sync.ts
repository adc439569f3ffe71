import { liveQuery } from 'dexie';
import { getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';
import type { Device, PairingCode } from '@shared/schemas/cloud';
import { getDb, type QuarantineRow } from '@/db/database';
import * as accounts from '../accounts';
import { pendingCount } from '../pending';
import { listQuarantine, retryQuarantineNow } from '../quarantine';
import { defaultConfig, readConfig, watchConfig, type SyncConfig } from '../sync-config';
import { syncNow } from '../sync-engine';
import { emptyStatus, readStatus, watchStatus, type SyncStatus } from '../sync-status';

/**
 * State and actions of the sync settings for Vue surfaces. Config and status follow chrome.storage.local
 * (the background writes the status as it syncs); the pending count follows the database live. The
 * token stays in here and is never rendered.
 */
export function useSync() {
  const config = shallowRef<SyncConfig>(defaultConfig());
  const status = shallowRef<SyncStatus>(emptyStatus());
  const pending = ref(0);
  const refused = shallowRef<QuarantineRow[]>([]);
  const devices = shallowRef<Device[]>([]);
  const pairing = shallowRef<PairingCode | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const message = ref<string | null>(null);
  const loaded = ref(false);

  void Promise.all([readConfig(), readStatus()]).then(([c, s]) => {
    config.value = c;
    status.value = s;
    loaded.value = true;
    if (c.account) void refreshDevices();
  });
  const stops = [
    watchConfig((c) => {
      config.value = c;
    }),
    watchStatus((s) => {
      status.value = s;
    }),
  ];
  const subscription = liveQuery(() => pendingCount(getDb())).subscribe({
    next: (n) => {
      pending.value = n;
    },
    error: () => undefined,
  });
  const refusedSubscription = liveQuery(() => listQuarantine(getDb())).subscribe({
    next: (rows) => {
      refused.value = rows;
    },
    error: () => undefined,
  });
  if (getCurrentScope()) {
    onScopeDispose(() => {
      stops.forEach((stop) => stop());
      subscription.unsubscribe();
      refusedSubscription.unsubscribe();
    });
  }

  async function act(task: () => Promise<unknown>, done?: string): Promise<boolean> {
    busy.value = true;
    error.value = null;
    message.value = null;
    try {
      await task();
      if (done) message.value = done;
      return true;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function refreshDevices(): Promise<void> {
    try {
      devices.value = await accounts.listDevices();
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  async function afterSignIn(c: SyncConfig): Promise<void> {
    config.value = c;
    pairing.value = null;
    await refreshDevices();
    status.value = await syncNow('manual');
  }

  return {
    config,
    status,
    pending,
    refused,
    devices,
    pairing,
    busy,
    error,
    message,
    loaded,
    refreshDevices,
    createAccount: (workerUrl: string, deviceName: string) =>
      act(async () => afterSignIn(await accounts.createAccount(workerUrl, deviceName)), 'Account created. This device is syncing.'),
    join: (workerUrl: string, code: string, deviceName: string) =>
      act(async () => afterSignIn(await accounts.joinAccount(workerUrl, code, deviceName)), 'Joined. This device is syncing.'),
    showPairingCode: () =>
      act(async () => {
        pairing.value = await accounts.createPairingCode();
      }),
    revoke: (deviceId: string) =>
      act(async () => {
        await accounts.revokeDevice(deviceId);
        if (config.value.account) await refreshDevices();
        else devices.value = [];
      }, 'Device revoked.'),
    signOut: () =>
      act(async () => {
        config.value = await accounts.signOut();
        devices.value = [];
        pairing.value = null;
      }, 'Signed out. Your records stay on this device.'),
    setEnabled: (enabled: boolean) =>
      act(async () => {
        config.value = await accounts.setSyncEnabled(enabled);
        status.value = await syncNow('manual');
      }),
    syncNow: () =>
      act(async () => {
        status.value = await syncNow('manual');
      }),
    /** Pushes every refused record again from its current state. */
    retryRefused: () =>
      act(async () => {
        await retryQuarantineNow(getDb());
        status.value = await syncNow('manual');
      }),
  };
}
