/**
 * @module surfaces/http/events
 * A tiny publish/subscribe bus for the dashboard's live updates, partitioned by tenant: a
 * subscriber only ever receives its own tenant's events. In memory, per process.
 */

/** One live event, as sent over server-sent events. */
export interface LiveEvent {
  type: 'session.created' | 'session.deleted' | 'run.started' | 'run.waiting' | 'run.finished' | 'approval.requested' | 'approval.answered';
  data: Record<string, unknown>;
}

/** The bus. */
export interface EventBus {
  publish(tenant: string, event: LiveEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(tenant: string, listener: (event: LiveEvent) => void): () => void;
  /** Listeners currently attached (all tenants). */
  readonly listeners: number;
}

/**
 * Creates an event bus.
 *
 * @example
 * const bus = createEventBus();
 * const off = bus.subscribe('acme', (e) => console.log(e.type));
 * bus.publish('acme', { type: 'run.started', data: { id: 'r1' } });
 * off();
 */
export function createEventBus(): EventBus {
  const byTenant = new Map<string, Set<(event: LiveEvent) => void>>();
  let count = 0;
  return {
    publish(tenant, event) {
      for (const listener of byTenant.get(tenant) ?? []) {
        try {
          listener(event);
        } catch {
          // A broken subscriber (a closed stream) must not stop the others.
        }
      }
    },
    subscribe(tenant, listener) {
      const set = byTenant.get(tenant) ?? new Set();
      byTenant.set(tenant, set);
      set.add(listener);
      count += 1;
      return () => {
        if (set.delete(listener)) count -= 1;
      };
    },
    get listeners() { return count; },
  };
}
