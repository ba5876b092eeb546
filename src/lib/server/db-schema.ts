/**
 * What the database holds, the same on SQLite and PostgreSQL: each table's row, and the
 * migrations that make them, applied in order at start-up by Kysely's migrator.
 */
import type { Migration } from 'kysely';

/** The two stores Causeway runs on. */
export type DatabaseKind = 'sqlite' | 'postgres';

export interface SessionRow {
	code: string;
	/** The teacher who hosts it, when known: their key lists it from any device. */
	teacher_id: string | null;
	scenario_id: string;
	mode: string;
	title: string;
	host_token_hash: string;
	/** The session machine's persisted snapshot, as JSON. */
	machine: string;
	created_at: string;
	ended_at: string | null;
	/** 1: participants are not offered the article (closed-book); 0: they are. */
	closed_book: number;
	/** 1 once the host has locked joining: nobody new may join. */
	joining_locked: number;
	/**
	 * Counts the session machine's stored changes: every server process passes on a state only if
	 * it is newer than the last one its streams were sent, so an older state never overtakes it.
	 */
	version: number;
}

/** A deleted session's code, kept so that its students' pages get 410 rather than 404. */
export interface DeletedSessionRow {
	code: string;
	deleted_at: string;
}

/** The one row the storage health check writes over (see `probeWrites`). */
export interface StorageProbeRow {
	id: string;
	written_at: string;
}

export interface TeacherRow {
	id: string;
	/** SHA-256 of the teacher key, which is shown once and never stored. */
	key_hash: string;
	created_at: string;
}

export interface ParticipantRow {
	id: string;
	session_code: string;
	nickname: string;
	/** The nickname folded for comparison: one participant per nickname in a session. */
	nickname_key: string;
	token_hash: string;
	joined_at: string;
}

export interface AnswerRow {
	/** Made by the client: a retry with the same id returns the stored result. */
	answer_id: string;
	session_code: string;
	participant_id: string;
	question_id: string;
	/** The response as sent, as JSON. */
	response: string;
	correct: number;
	credit: number;
	points: number;
	max_points: number;
	answered_at: string;
}

/** One counter of a limit shared by every server process (see `shared-limit.ts`). */
export interface RateLimitRow {
	/** The limit's name and the key counted, such as `guess:203.0.113.7`. */
	key: string;
	/** When the key's window began, in milliseconds since 1970. */
	window_start: number;
	count: number;
}

export interface Schema {
	teachers: TeacherRow;
	sessions: SessionRow;
	participants: ParticipantRow;
	answers: AnswerRow;
	deleted_sessions: DeletedSessionRow;
	storage_probe: StorageProbeRow;
	rate_limits: RateLimitRow;
}

/**
 * Every migration, by name (names sort in the order they apply), for one dialect: the same tables
 * on both, with PostgreSQL's 8-byte `double precision` where SQLite's `real` (8 bytes there, 4 on
 * PostgreSQL) holds a fraction, and `bigint` for milliseconds.
 */
export function migrationsFor(kind: DatabaseKind): Record<string, Migration> {
	const fraction = kind === 'postgres' ? 'double precision' : 'real';
	return {
		'0001_classroom': {
			async up(db) {
				await db.schema
					.createTable('sessions')
					.addColumn('code', 'text', (c) => c.primaryKey())
					.addColumn('scenario_id', 'text', (c) => c.notNull())
					.addColumn('mode', 'text', (c) => c.notNull())
					.addColumn('title', 'text', (c) => c.notNull())
					.addColumn('host_token_hash', 'text', (c) => c.notNull())
					.addColumn('machine', 'text', (c) => c.notNull())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('participants')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('session_code', 'text', (c) =>
						c.notNull().references('sessions.code').onDelete('cascade')
					)
					.addColumn('nickname', 'text', (c) => c.notNull())
					.addColumn('nickname_key', 'text', (c) => c.notNull())
					.addColumn('token_hash', 'text', (c) => c.notNull())
					.addColumn('joined_at', 'text', (c) => c.notNull())
					.addUniqueConstraint('participants_nickname_unique', ['session_code', 'nickname_key'])
					.execute();
				await db.schema
					.createTable('answers')
					.addColumn('answer_id', 'text', (c) => c.primaryKey())
					.addColumn('session_code', 'text', (c) =>
						c.notNull().references('sessions.code').onDelete('cascade')
					)
					.addColumn('participant_id', 'text', (c) =>
						c.notNull().references('participants.id').onDelete('cascade')
					)
					.addColumn('question_id', 'text', (c) => c.notNull())
					.addColumn('response', 'text', (c) => c.notNull())
					.addColumn('correct', 'integer', (c) => c.notNull())
					.addColumn('credit', fraction, (c) => c.notNull())
					.addColumn('points', 'integer', (c) => c.notNull())
					.addColumn('max_points', 'integer', (c) => c.notNull())
					.addColumn('answered_at', 'text', (c) => c.notNull())
					.addUniqueConstraint('answers_one_per_question', ['participant_id', 'question_id'])
					.execute();
				await db.schema
					.createIndex('answers_by_session')
					.on('answers')
					.column('session_code')
					.execute();
				await db.schema
					.createIndex('participants_by_token')
					.on('participants')
					.column('token_hash')
					.unique()
					.execute();
			},
			async down(db) {
				await db.schema.dropTable('answers').execute();
				await db.schema.dropTable('participants').execute();
				await db.schema.dropTable('sessions').execute();
			}
		},
		'0002_teachers': {
			async up(db) {
				await db.schema
					.createTable('teachers')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('key_hash', 'text', (c) => c.notNull().unique())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.alterTable('sessions')
					.addColumn('teacher_id', 'text', (c) => c.references('teachers.id').onDelete('set null'))
					.execute();
				await db.schema.alterTable('sessions').addColumn('ended_at', 'text').execute();
				await db.schema
					.createIndex('sessions_by_teacher')
					.on('sessions')
					.column('teacher_id')
					.execute();
			},
			async down(db) {
				await db.schema.dropIndex('sessions_by_teacher').execute();
				await db.schema.alterTable('sessions').dropColumn('ended_at').execute();
				await db.schema.alterTable('sessions').dropColumn('teacher_id').execute();
				await db.schema.dropTable('teachers').execute();
			}
		},
		'0003_closed_book': {
			async up(db) {
				await db.schema
					.alterTable('sessions')
					.addColumn('closed_book', 'integer', (c) => c.notNull().defaultTo(0))
					.execute();
			},
			async down(db) {
				await db.schema.alterTable('sessions').dropColumn('closed_book').execute();
			}
		},
		'0004_flood_limits': {
			async up(db) {
				await db.schema
					.alterTable('sessions')
					.addColumn('joining_locked', 'integer', (c) => c.notNull().defaultTo(0))
					.execute();
				await db.schema
					.createTable('deleted_sessions')
					.addColumn('code', 'text', (c) => c.primaryKey())
					.addColumn('deleted_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('storage_probe')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('written_at', 'text', (c) => c.notNull())
					.execute();
				// Exports read a session's answers a page at a time, in this order. It replaces the index
				// on session_code alone (its first column), so an answer still updates one index, not two.
				await db.schema
					.createIndex('answers_by_session_time')
					.on('answers')
					.columns(['session_code', 'answered_at', 'answer_id'])
					.execute();
				await db.schema.dropIndex('answers_by_session').execute();
			},
			async down(db) {
				await db.schema
					.createIndex('answers_by_session')
					.on('answers')
					.column('session_code')
					.execute();
				await db.schema.dropIndex('answers_by_session_time').execute();
				await db.schema.dropTable('storage_probe').execute();
				await db.schema.dropTable('deleted_sessions').execute();
				await db.schema.alterTable('sessions').dropColumn('joining_locked').execute();
			}
		},
		'0005_many_processes': {
			async up(db) {
				await db.schema
					.alterTable('sessions')
					.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
					.execute();
				await db.schema
					.createTable('rate_limits')
					.addColumn('key', 'text', (c) => c.primaryKey())
					.addColumn('window_start', 'bigint', (c) => c.notNull())
					.addColumn('count', 'integer', (c) => c.notNull())
					.execute();
			},
			async down(db) {
				await db.schema.dropTable('rate_limits').execute();
				await db.schema.alterTable('sessions').dropColumn('version').execute();
			}
		}
	};
}
