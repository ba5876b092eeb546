/**
 * A question as a learner may see it before answering: no answer, no explanation, no evidence,
 * no scenario's supporting or opposing passages. Items to order are listed in a stable shuffle that never
 * starts in the answer's order, so the list itself gives nothing away.
 */
import type { Question } from './schema.ts';

type Secret = 'answer' | 'explanation' | 'evidence' | 'hint';
type Stripped<Q> = Q extends { type: 'scenario'; scenarios: ReadonlyArray<infer S> }
	? Omit<Q, Secret | 'scenarios'> & { scenarios: Array<Omit<S, 'supports' | 'against'>> }
	: Omit<Q, Secret>;

/** A question without its answer key, as sent to a participant before they answer. */
export type PublicQuestion = Stripped<Question>;

/** A stable shuffle of ids, seeded by the ids themselves, that differs from `avoid` when it can. */
export function shuffleAvoiding(ids: readonly string[], avoid: readonly string[]): string[] {
	let seed = [...ids.join('|')].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
	const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
	const order = [...ids];
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j] as string, order[i] as string];
	}
	const same = order.length === avoid.length && order.every((id, i) => avoid[i] === id);
	return same ? [...order.slice(1), ...order.slice(0, 1)] : order;
}

/** The question without its answer key; `order` items in their starting order. */
export function presentQuestion(question: Question): PublicQuestion {
	/* eslint-disable @typescript-eslint/no-unused-vars -- the destructuring drops the secrets */
	const { answer, explanation, evidence, hint, ...rest } = question;
	/* eslint-enable @typescript-eslint/no-unused-vars */
	switch (rest.type) {
		case 'order': {
			const byId = new Map(rest.items.map((item) => [item.id, item]));
			const items = shuffleAvoiding(
				rest.items.map((i) => i.id),
				answer as string[]
			).flatMap((id) => byId.get(id) ?? []);
			return { ...rest, items };
		}
		case 'scenario':
			return {
				...rest,
				scenarios: rest.scenarios.map(({ id, title, description }) => ({ id, title, description }))
			};
		default:
			return rest;
	}
}
