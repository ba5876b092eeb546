/**
 * The one interface both stores keep (`sqlite-store.ts`, `postgres-store.ts`): every query is
 * built with Kysely the same way for both, and run through here, so the classroom service has one
 * code path whatever the database.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import type { DatabaseKind, Schema } from './db-schema';
import type { Fact } from './facts';

/** A query built with Kysely, not yet run. */
export interface Compilable<R> {
	compile(): CompiledQuery<R>;
}

/** Runs a query and gives its rows. */
export type Read = <R>(query: Compilable<R>) => Promise<R[]>;

/** One write's transaction. */
export interface Tx {
	/** Runs a query inside the transaction. */
	all: Read;
	/** A fact every server process is told once (and only if) the transaction commits. */
	announce(fact: Fact): void;
	/**
	 * The select, made to lock the rows it reads until the transaction ends: `share` while an
	 * answer or a join is accepted (many at once), `update` to change a session's pacing (alone,
	 * once they are in). On SQLite the select as it is: its write transactions never overlap.
	 */
	locking<Q extends Lockable<Q>>(query: Q, mode: 'share' | 'update'): Q;
}

/** A select that can lock what it reads. */
export interface Lockable<Q> {
	forShare(): Q;
	forUpdate(): Q;
}

/** Storage faults the test suite can switch on (see routes/api/test/faults). */
export type InjectedFault = 'none' | 'readonly' | 'full';

export interface Store {
	readonly kind: DatabaseKind;
	readonly db: Kysely<Schema>;
	/** Runs a read on its own. */
	rows: Read;
	/** Runs several reads that must see the same committed state. */
	together<T>(work: (read: Read) => Promise<T>): Promise<T>;
	/**
	 * Runs `work` in a transaction and settles once it has committed (or failed): with the facts
	 * it announced, which the caller passes on.
	 */
	write<T>(work: (tx: Tx) => Promise<T>): Promise<{ value: T; facts: Fact[] }>;
	/** Throws the storage's own error when it could not take a write (full disk, say). */
	checkWritable(read: Read): Promise<void>;
	/** Set up to take writes again after a read-only fault (a new connection, or none needed). */
	recover(): void;
	injectFault(fault: InjectedFault): void;
	/** Makes deleted data leave the disk's log too, where the store keeps one of its own. */
	scrub(): void;
	close(): Promise<void>;
}
