/**
 * A fixed-window counter per key (an address, usually), kept in memory: enough to slow down
 * join-code guessing from one address on one server.
 */
export interface RateLimiter {
	/** Counts one event for `key`; false once the key has used up its window. */
	hit(key: string, now?: number): boolean;
	/** Whether `key` is over its limit, without counting. */
	blocked(key: string, now?: number): boolean;
}

/** A limiter allowing `limit` events per `windowMs` for each key. */
export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
	const windows = new Map<string, { start: number; count: number }>();
	const current = (key: string, now: number) => {
		const window = windows.get(key);
		if (window && now - window.start < windowMs) return window;
		// Forget old windows as we go so that the map cannot grow without bound.
		if (windows.size > 10_000)
			for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
		const fresh = { start: now, count: 0 };
		windows.set(key, fresh);
		return fresh;
	};
	return {
		hit(key, now = Date.now()) {
			const window = current(key, now);
			window.count += 1;
			return window.count <= limit;
		},
		blocked(key, now = Date.now()) {
			return current(key, now).count >= limit;
		}
	};
}
