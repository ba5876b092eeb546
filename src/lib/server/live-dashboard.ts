/**
 * The host's live dashboard, kept as running totals in memory: each session's tally is read from
 * the database once (`tallyOf`), then kept up to date by every join and answer the service
 * commits (this server is the only writer of its SQLite file), so a refresh costs the same with
 * 20 or 20,000 answers. Pushed to the host's event streams through the hub, folded and paced.
 */
import { DashboardTally, type Dashboard } from '$lib/classroom/dashboard';
import type { ReportAnswer, ReportParticipant } from '$lib/classroom/report';
import { pacingOf } from '$lib/classroom/session.machine';
import { scheduleDashboard } from './hub';
import { answersOf, loadSession, participantsOf, type LoadedSession } from './session-store';

/** Running totals of the sessions whose dashboards were asked for lately, most recent last. */
const tallies = new Map<string, DashboardTally>();
const TALLIES_KEPT = 64;

function tallyOf(session: LoadedSession): DashboardTally {
	const { code } = session.row;
	const kept = tallies.get(code);
	if (kept) {
		// Most recently used last, so the one dropped when full is the one used longest ago.
		tallies.delete(code);
		tallies.set(code, kept);
		return kept;
	}
	const tally = new DashboardTally(session.pack);
	// Read synchronously: no commit can land between the two reads and the tally's creation.
	for (const p of participantsOf(code)) tally.addParticipant(p);
	for (const a of answersOf(code)) tally.addAnswer(a);
	if (tallies.size >= TALLIES_KEPT) tallies.delete(tallies.keys().next().value!);
	tallies.set(code, tally);
	return tally;
}

/** The host's live figures for a session. */
export function dashboardOf(session: LoadedSession): Dashboard {
	return tallyOf(session).view(pacingOf(session.snapshot).currentQuestionId);
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

/** Sends the host's streams the dashboard as it stands, soon (folded with other refreshes). */
export function refreshDashboard(session: LoadedSession): void {
	scheduleDashboard(session.row.code, async () => dashboardOf(await loadSession(session.row.code)));
}
