/**
 * What a server process does with a committed fact, its own or (on PostgreSQL) another
 * process's: the same steps either way, so a class served by two processes sees what it would
 * see on one. Facts change only this process's memory: its running totals and its open streams.
 */
import { listenForFacts, type FactListener } from './bus';
import type { DatabaseConfig } from './config';
import { onCommittedFacts } from './db';
import type { Fact } from './facts';
import { closeStreams, publish, publishState, sessionsWithStreams } from './hub';
import {
	countAnswer,
	countJoin,
	forgetAllTotals,
	forgetTotals,
	refreshDashboard
} from './live-dashboard';
import { loadSession } from './session-store';
import { pacingOf } from './session-views';

/** Brings this process's totals and streams up to date with one committed fact. */
export function applyFact(fact: Fact): void {
	const { code } = fact;
	switch (fact.kind) {
		case 'state':
			publishState(code, fact.version, fact.pacing);
			refreshDashboard(code);
			return;
		case 'joined':
			countJoin(code, fact.participant);
			refreshDashboard(code);
			return;
		case 'answered':
			countAnswer(code, fact.answer);
			refreshDashboard(code);
			return;
		case 'removed':
			// Totals cannot subtract: they are read again when next needed.
			forgetTotals(code);
			closeStreams(code, (listener) => listener.participantId === fact.participantId);
			refreshDashboard(code);
			return;
		case 'deleted':
			forgetTotals(code);
			publish(code, 'state', fact.pacing);
			closeStreams(code);
			return;
		case 'resync':
			void resync(code);
			return;
		default:
			fact satisfies never;
	}
}

/** Reads a session again: its totals from scratch, its state to its streams if it is newer. */
async function resync(code: string): Promise<void> {
	forgetTotals(code);
	try {
		const session = await loadSession(code);
		publishState(code, session.row.version, pacingOf(session));
		refreshDashboard(code);
	} catch (failure) {
		// Deleted while its fact could not be heard: its streams end as the fact would end them.
		if ((failure as { status?: number }).status === 410) closeStreams(code);
		else console.error(`Reading session ${code} again failed:`, failure);
	}
}

/**
 * After facts may have been missed (the connection that hears them was lost): every session
 * with streams open here is read again, and every running total read anew when next needed.
 */
export function resyncAll(): void {
	forgetAllTotals();
	for (const code of sessionsWithStreams()) void resync(code);
}

/**
 * Makes this process act on every fact committed: its own at once; on PostgreSQL, the other
 * processes' as they are heard. Resolves once listening; the listener is returned to stop it.
 */
export async function startLiveEvents(config: DatabaseConfig): Promise<FactListener | undefined> {
	onCommittedFacts(applyFact);
	if (config.kind !== 'postgres') return undefined;
	return listenForFacts(config.url, applyFact, resyncAll);
}
