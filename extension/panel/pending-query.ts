import { sessionMailbox } from './session-mailbox';

/**
 * A query handed to the side panel by whoever opened it (the overlay's Ask, the popup's search box),
 * in the panel's session mailbox (the panel may not exist yet, or hears it when already open).
 */
export const PENDING_QUERY_KEY = 'panel.pendingQuery';
const mailbox = sessionMailbox(PENDING_QUERY_KEY);

export const stashPendingQuery = (query: string): Promise<void> => mailbox.put(query);

/** Reads the pending query and clears it, so reopening the panel later doesn't repeat it. */
export const takePendingQuery = (): Promise<string | undefined> => mailbox.take();

/** Calls `listener` whenever a new query is stashed while the panel is open. Returns an unsubscribe. */
export const onPendingQuery = (listener: (query: string) => void): (() => void) => mailbox.listen(listener);
