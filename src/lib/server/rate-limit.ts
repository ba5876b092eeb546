/**
 * A fixed-window counter per key (an address, usually), kept in memory: enough to slow down
 * join-code guessing from one address on one server.
 */
export interface RateLimiter {
	/** Counts one event for `key`; false once the key has used up its window. */
	hit(key: string, now?: number): boolean;
	/** Whether `key` is over its limit, without counting. */
	blocked(key: string, now?: number): boolean;
	/** Milliseconds until `key`'s window ends (0 when it has none): what Retry-After says. */
	retryAfterMs(key: string, now?: number): number;
}

/** A limiter allowing `limit` events per `windowMs` for each key. */
export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
	// Insertion order is window-start order (a new window is deleted and re-inserted), so expired
	// windows are always at the front: sweeping stops at the first live one.
	const windows = new Map<string, { start: number; count: number }>();
	const sweep = (now: number) => {
		for (const [key, window] of windows) {
			if (now - window.start < windowMs) break;
			windows.delete(key);
		}
	};
	return {
		hit(key, now = Date.now()) {
			sweep(now);
			let window = windows.get(key);
			if (!window) {
				window = { start: now, count: 0 };
				windows.set(key, window);
			}
			window.count += 1;
			return window.count <= limit;
		},
		blocked(key, now = Date.now()) {
			const window = windows.get(key);
			return window !== undefined && now - window.start < windowMs && window.count >= limit;
		},
		retryAfterMs(key, now = Date.now()) {
			const window = windows.get(key);
			return window ? Math.max(0, window.start + windowMs - now) : 0;
		}
	};
}
