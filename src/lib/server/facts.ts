/**
 * What one server process tells the others when a write commits: small facts, never dashboards.
 * Each process keeps its own live figures and streams; a fact is what it needs to bring them up
 * to date (`live-events.ts`). On SQLite the one process hears only itself; on PostgreSQL facts
 * also travel by NOTIFY (`bus.ts`) to every process serving the same database.
 */
import type { Pacing } from '$lib/classroom/session.machine';
import type { ReportAnswer, ReportParticipant } from '$lib/classroom/report';

export type Fact =
	/** The session machine changed: its pacing, and its stored version (a newer one wins). */
	| { kind: 'state'; code: string; version: number; pacing: Pacing }
	| { kind: 'joined'; code: string; participant: ReportParticipant }
	| { kind: 'answered'; code: string; answer: ReportAnswer }
	| { kind: 'removed'; code: string; participantId: string }
	| { kind: 'deleted'; code: string; pacing: Pacing }
	/**
	 * Read the session again from the database: sent in place of a fact too big for a
	 * notification, and made by a process for itself when it may have missed facts.
	 */
	| { kind: 'resync'; code: string };
