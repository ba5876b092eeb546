/**
 * Limits that hold for the whole deployment, not one process: the join-code guessing limit and
 * the session-creation limit. On SQLite (one process) a counter in memory; on PostgreSQL a row
 * per key in `rate_limits`, counted in one statement, so that an address guessing through
 * several processes behind a load balancer is held to the same count as through one.
 */
import { sql } from 'kysely';
import { database, databaseKind, rows, write } from './db';
import { createRateLimiter } from './rate-limit';

/** A fixed-window limit per key, counted wherever the deployment keeps its counts. */
export interface SharedLimit {
	/** Counts one event for `key`; false once the key has used up its window. */
	hit(key: string): Promise<boolean>;
	/** Whether `key` is over its limit, without counting. */
	blocked(key: string): Promise<boolean>;
	/** Milliseconds until `key`'s window ends (0 when it has none): what Retry-After says. */
	retryAfterMs(key: string): Promise<number>;
}

/** Windows that ended are deleted at most this often, by each process. */
const SWEEP_EVERY_MS = 60_000;

/** `limit` events per `windowMs` for each key, across every process; `name` keeps limits apart. */
export function sharedLimit(name: string, limit: number, windowMs: number): SharedLimit {
	const inMemory = createRateLimiter(limit, windowMs);
	const keyOf = (key: string) => `${name}:${key}`;
	let lastSweep = 0;

	/** The key's window as stored, or undefined when it has none or it has ended. */
	const windowOf = async (key: string, now: number) => {
		const [row] = await rows(
			database()
				.selectFrom('rate_limits')
				.select(['window_start', 'count'])
				.where('key', '=', keyOf(key))
		);
		return row && now - row.window_start < windowMs ? row : undefined;
	};

	const sweep = async (now: number) => {
		if (now - lastSweep < SWEEP_EVERY_MS) return;
		lastSweep = now;
		await write((tx) =>
			tx.all(
				database()
					.deleteFrom('rate_limits')
					.where('key', 'like', `${name}:%`)
					.where('window_start', '<=', now - windowMs)
			)
		);
	};

	const shared: SharedLimit = {
		async hit(key) {
			const now = Date.now();
			await sweep(now);
			// A window that has ended starts again at this event; otherwise this event is counted in
			// it. One statement: two processes counting the same key at once both count.
			const ended = sql<boolean>`rate_limits.window_start <= ${now - windowMs}`;
			const [counted] = await write((tx) =>
				tx.all(
					database()
						.insertInto('rate_limits')
						.values({ key: keyOf(key), window_start: now, count: 1 })
						.onConflict((oc) =>
							oc.column('key').doUpdateSet({
								count: sql<number>`case when ${ended} then 1 else rate_limits.count + 1 end`,
								window_start: sql<number>`case when ${ended} then ${now} else rate_limits.window_start end`
							})
						)
						.returning('count')
				)
			);
			return (counted?.count ?? 1) <= limit;
		},
		async blocked(key) {
			const window = await windowOf(key, Date.now());
			return window !== undefined && window.count >= limit;
		},
		async retryAfterMs(key) {
			const now = Date.now();
			const window = await windowOf(key, now);
			return window ? Math.max(0, window.window_start + windowMs - now) : 0;
		}
	};
	const local: SharedLimit = {
		hit: async (key) => inMemory.hit(key),
		blocked: async (key) => inMemory.blocked(key),
		retryAfterMs: async (key) => inMemory.retryAfterMs(key)
	};
	// The store is known once the server has opened it, after this module is loaded.
	const current = () => (databaseKind() === 'postgres' ? shared : local);
	return {
		hit: (key) => current().hit(key),
		blocked: (key) => current().blocked(key),
		retryAfterMs: (key) => current().retryAfterMs(key)
	};
}
