/**
 * Answers on their way to the server. Each is written to the device before it is sent, with the
 * answerId it will keep for every retry, so a dropped connection or a reload never loses or
 * doubles an answer: the server stores an answerId once and returns the same result after.
 */
import type { KeyValueStore } from '$lib/journey/journey.storage';

export interface PendingAnswer {
	answerId: string;
	questionId: string;
	response: unknown;
}

const keyOf = (code: string, participantId: string) => `causeway:outbox:${code}:${participantId}`;

/** The answers not yet acknowledged, oldest first. */
export function pendingAnswers(
	store: KeyValueStore,
	code: string,
	participantId: string
): PendingAnswer[] {
	try {
		const parsed: unknown = JSON.parse(store.getItem(keyOf(code, participantId)) ?? '[]');
		return Array.isArray(parsed)
			? parsed.filter(
					(p): p is PendingAnswer =>
						typeof p === 'object' &&
						p !== null &&
						typeof p.answerId === 'string' &&
						typeof p.questionId === 'string'
				)
			: [];
	} catch {
		return [];
	}
}

function write(
	store: KeyValueStore,
	code: string,
	participantId: string,
	list: PendingAnswer[]
): void {
	try {
		if (list.length === 0) store.removeItem(keyOf(code, participantId));
		else store.setItem(keyOf(code, participantId), JSON.stringify(list));
	} catch {
		// Storage off: the answer is still sent and retried while the page stays open.
	}
}

/** Records an answer about to be sent; an answer already pending for the question is kept instead. */
export function enqueueAnswer(
	store: KeyValueStore,
	code: string,
	participantId: string,
	answer: PendingAnswer
): PendingAnswer {
	const list = pendingAnswers(store, code, participantId);
	const existing = list.find((p) => p.questionId === answer.questionId);
	if (existing) return existing;
	write(store, code, participantId, [...list, answer]);
	return answer;
}

/** Forgets an answer once the server has acknowledged (or finally refused) it. */
export function settleAnswer(
	store: KeyValueStore,
	code: string,
	participantId: string,
	answerId: string
): void {
	write(
		store,
		code,
		participantId,
		pendingAnswers(store, code, participantId).filter((p) => p.answerId !== answerId)
	);
}
