import type { Repositories } from '@wabot/db';
import { Gauge, type Registry } from 'prom-client';

/**
 * Handoffs waiting for a person, read from PostgreSQL on each scrape (the whole fleet's, whichever
 * admin is scraped): conversations a person holds that nobody is assigned to, and the age of the
 * oldest of them.
 */
export function registerTakeoverMetrics(registry: Registry, repos: Pick<Repositories, 'conversations'>): void {
  let read: Promise<{ count: number; oldest: Date | null }> | null = null;
  // One query per scrape for both gauges.
  const waiting = () => {
    read ??= repos.conversations.waitingHandoffs().finally(() => {
      read = null;
    });
    return read;
  };
  new Gauge({
    name: 'wabot_handoffs_waiting',
    help: 'Conversations handed to a person and assigned to nobody',
    registers: [registry],
    async collect() {
      this.set((await waiting()).count);
    },
  });
  new Gauge({
    name: 'wabot_handoffs_waiting_oldest_age_seconds',
    help: 'Age of the oldest unassigned handoff (0 when none waits)',
    registers: [registry],
    async collect() {
      const { oldest } = await waiting();
      this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    },
  });
}
