/**
 * The host's live dashboard, kept as running totals in memory: each session's tally is read from
 * the database once (`tallyOf`), then kept up to date by every join and answer committed, by this
 * process or (on PostgreSQL) another one, as facts tell them (`live-events.ts`), so a refresh
 * costs the same with 20 or 20,000 answers. Pushed to the host's event streams through the hub,
 * folded and paced.
 */
import { DashboardTally, type Dashboard } from '$lib/classroom/dashboard';
import type { ReportAnswer, ReportParticipant } from '$lib/classroom/report';
import { pacingOf } from '$lib/classroom/session.machine';
import { scheduleDashboard } from './hub';
import { readTogether } from './db';
import { answersOf, loadSession, participantsOf, type LoadedSession } from './session-store';

/** Running totals of the sessions whose dashboards were asked for lately, most recent last. */
const tallies = new Map<string, DashboardTally>();
const TALLIES_KEPT = 64;

/**
 * The session's running totals. A new tally is kept before the database is read, so that a join
 * or answer told while the reads are under way is counted too; the stored rows are then added,
 * and whatever was counted twice (told, and read) counts once.
 */
async function tallyOf(session: LoadedSession): Promise<DashboardTally> {
	const { code } = session.row;
	const kept = tallies.get(code);
	if (kept) {
		// Most recently used last, so the one dropped when full is the one used longest ago.
		tallies.delete(code);
		tallies.set(code, kept);
		return kept;
	}
	const tally = new DashboardTally(session.pack);
	if (tallies.size >= TALLIES_KEPT) tallies.delete(tallies.keys().next().value!);
	tallies.set(code, tally);
	const { participants, answers } = await readTogether(async (read) => ({
		participants: await participantsOf(code, read),
		answers: await answersOf(code, read)
	}));
	for (const p of participants) tally.addParticipant(p);
	for (const a of answers) tally.addAnswer(a);
	// Forgotten while it was read (someone was removed): read it again.
	return tallies.get(code) === tally ? tally : tallyOf(session);
}

/** The host's live figures for a session. */
export async function dashboardOf(session: LoadedSession): Promise<Dashboard> {
	return (await tallyOf(session)).view(pacingOf(session.snapshot).currentQuestionId);
}

/** Counts a committed join in the session's running totals, if they are kept. */
export function countJoin(code: string, participant: ReportParticipant): void {
	tallies.get(code)?.addParticipant(participant);
}

/** Counts a committed answer (a retry of one counted already is not counted again). */
export function countAnswer(code: string, answer: ReportAnswer): void {
	tallies.get(code)?.addAnswer(answer);
}

/**
 * Drops a session's running totals: they cannot subtract, so after a removal they are read again
 * from the database when next needed.
 */
export function forgetTotals(code: string): void {
	tallies.delete(code);
}

/** Drops every session's running totals: facts may have been missed (see `live-events.ts`). */
export function forgetAllTotals(): void {
	tallies.clear();
}

/** Sends the host's streams the dashboard as it stands, soon (folded with other refreshes). */
export function refreshDashboard(code: string): void {
	scheduleDashboard(code, async () => dashboardOf(await loadSession(code)));
}
