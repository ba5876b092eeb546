/** Items put in order, first at the top. */
import { Ids, Options } from '../fields.ts';
import { checkEach, quotedIds } from '../check.ts';
import { defineKind, graded, invalid, textOf, unknownIds, type ContentRules } from '../kind.ts';

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

export const order = defineKind({
	type: 'order',
	fields: { items: Options(2) },
	response: Ids(2),
	/** Every item exactly once; partial credit is the share of items in their right position. */
	grade: (question, response) => {
		const itemIds = question.items.map((i) => i.id);
		const missing = unknownIds(response, itemIds);
		if (missing.length > 0) return invalid(`There is no item "${missing[0]}".`);
		if (response.length !== itemIds.length)
			return invalid(`Put all ${itemIds.length} items in order.`);
		const inPlace = response.filter((id, i) => question.answer[i] === id).length;
		return graded(inPlace / itemIds.length);
	},
	describe: (question, response) =>
		response.map((id, i) => `${i + 1}. ${textOf(question.items, id)}`).join(' '),
	instruction: () => 'Put them in order, first at the top',
	/** Items in a stable shuffle that never starts in the answer's order: the list gives nothing away. */
	present: (question, answer) => {
		const byId = new Map(question.items.map((item) => [item.id, item]));
		const items = shuffleAvoiding(
			question.items.map((i) => i.id),
			answer
		).flatMap((id) => byId.get(id) ?? []);
		return { ...question, items };
	},
	xapi: { interaction: 'sequencing' },
	orderMatters: true
});

export const orderContent: ContentRules<typeof order> = {
	checkAnswer: (question, check) => {
		const ids = question.items.map((o) => o.id);
		checkEach(check, 'answer', question.answer, ids, 'item of this question');
		const missing = ids.filter((id) => !question.answer.includes(id));
		if (missing.length > 0)
			check.add('answer', `must list every item exactly once; it leaves out ${quotedIds(missing)}`);
	}
};
