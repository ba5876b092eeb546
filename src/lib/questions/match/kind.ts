/** Each item on the left paired with one on the right. */
import * as v from 'valibot';
import { Id, Options, Text } from '../fields.ts';
import { checkOne, quotedIds } from '../check.ts';
import { defineKind, graded, invalid, textOf, unknownIds, type ContentRules } from '../kind.ts';
import { refuseRecordShape } from '../record.ts';

const Pairs = v.pipe(
	v.record(Id, Id, 'must map each left id to a right id'),
	v.check((pairs) => Object.keys(pairs).length > 0, 'must pair at least one item')
);

export const match = defineKind({
	type: 'match',
	fields: { leftLabel: Text, rightLabel: Text, left: Options(2), right: Options(2) },
	response: Pairs,
	refuse: (question, response) =>
		refuseRecordShape(question, response, Pairs, (key) => `There is no item "${key}" to pair.`),
	/** Every left item paired; partial credit is the share of pairs that are right. */
	grade: (question, response) => {
		const leftIds = question.left.map((l) => l.id);
		const rightIds = question.right.map((r) => r.id);
		const keys = Object.keys(response);
		const strayLeft = unknownIds(keys, leftIds);
		if (strayLeft.length > 0) return invalid(`There is no item "${strayLeft[0]}" to pair.`);
		const strayRight = unknownIds(Object.values(response), rightIds);
		if (strayRight.length > 0) return invalid(`There is no item "${strayRight[0]}" to pair with.`);
		if (keys.length !== leftIds.length) return invalid(`Pair all ${leftIds.length} items.`);
		const right = leftIds.filter((id) => response[id] === question.answer[id]).length;
		return graded(right / leftIds.length);
	},
	describe: (question, response) =>
		question.left
			.map((l) => `${l.text} → ${textOf(question.right, response[l.id] ?? '')}`)
			.join('; '),
	instruction: (question) =>
		`Pair each ${question.leftLabel.toLowerCase()} with its ${question.rightLabel.toLowerCase()}`,
	xapi: {
		interaction: 'matching',
		/** xAPI's matching form: `left[.]right` pairs joined by `[,]`. */
		response: (response) =>
			Object.entries(response)
				.map(([left, right]) => `${left}[.]${right}`)
				.join('[,]')
	}
});

export const matchContent: ContentRules<typeof match> = {
	checkAnswer: (question, check) => {
		const left = question.left.map((o) => o.id);
		const right = question.right.map((o) => o.id);
		for (const [key, value] of Object.entries(question.answer)) {
			checkOne(check, `answer.${key}`, key, left, 'left item');
			checkOne(check, `answer.${key}`, value, right, 'right item');
		}
		const unpaired = left.filter((id) => !Object.hasOwn(question.answer, id));
		if (unpaired.length > 0)
			check.add('answer', `must pair every left item; it leaves out ${quotedIds(unpaired)}`);
	}
};
