/**
 * SQLite's WAL checkpoints, in a thread of their own. A checkpoint copies the pages committed to
 * the log back into the database file and fsyncs that file. Left to SQLite, it is run by the
 * connection that commits, in the server's thread: under load, one group commit in ten then held
 * the event loop for 25–45 ms instead of 5 (docs/BENCHMARKS.md, 2026-12-02).
 *
 * A worker thread now copies the log every CHECKPOINT_INTERVAL_MS, on a connection of its own and
 * without waiting for anyone (PASSIVE). The server's connection keeps SQLite's automatic
 * checkpoint: it then finds the log copied already, or nearly, and it is what keeps the log from
 * growing without end (a log starts again from its beginning only once a writer finds it wholly
 * copied, which the worker alone cannot promise while writes keep coming).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the log back. */
export const CHECKPOINT_INTERVAL_MS = 50;
/** How long the worker waits after a checkpoint failed (a full or read-only disk) before trying again. */
export const CHECKPOINT_RETRY_MS = 5_000;

/** What the worker is given: the driver's path, the database's, and its timings. */
interface CheckpointPlan {
	driver: string;
	path: string;
	intervalMs: number;
	retryMs: number;
}

/**
 * The worker's whole program. It is sent to the thread as its source text (`eval`), the same from
 * the built server and from the TypeScript the tests run, so it uses nothing but its arguments.
 */
function checkpointForever(plan: CheckpointPlan, load: (id: string) => unknown) {
	const Database = load(plan.driver) as typeof import('better-sqlite3');
	const connection = new Database(plan.path);
	let lastFailure = '';
	const copy = () => {
		let wait = plan.intervalMs;
		try {
			connection.pragma('wal_checkpoint(PASSIVE)');
			lastFailure = '';
		} catch (failure) {
			// Busy is the server's own checkpoint running: simply next time. Anything else (the
			// disk) is said once, not every few milliseconds; the server's writes report it anyway.
			const { code = '', message = String(failure) } = failure as {
				code?: string;
				message?: string;
			};
			if (!code.startsWith('SQLITE_BUSY')) {
				if (message !== lastFailure) console.error(`WAL checkpoint failed: ${message}`);
				lastFailure = message;
				wait = plan.retryMs;
			}
		}
		setTimeout(copy, wait);
	};
	copy();
}

/**
 * Starts checkpointing the database at `path` (in WAL mode) in a worker thread; the function
 * returned stops it. The thread never keeps the process alive.
 */
export function startCheckpoints(
	path: string,
	{ intervalMs = CHECKPOINT_INTERVAL_MS, retryMs = CHECKPOINT_RETRY_MS } = {}
): () => Promise<void> {
	const plan: CheckpointPlan = {
		driver: createRequire(import.meta.url).resolve('better-sqlite3'),
		path,
		intervalMs,
		retryMs
	};
	const worker = new Worker(
		`(${checkpointForever.toString()})(require('node:worker_threads').workerData, require)`,
		{ eval: true, workerData: plan }
	);
	worker.unref();
	// Without the thread, SQLite's own checkpoint still runs: slower, never wrong.
	worker.on('error', (failure) => console.error('WAL checkpoints stopped:', failure));
	return async () => {
		await worker.terminate();
	};
}
