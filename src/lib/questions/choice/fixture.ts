import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const choiceFixture: Fixture<'choice'> = {
	question: {
		...fixtureCommon,
		id: 'q-choice',
		type: 'choice',
		options: [
			{ id: 'a', text: 'A' },
			{ id: 'b', text: 'B' },
			{ id: 'c', text: 'C' }
		],
		answer: 'b'
	},
	right: 'b',
	wrong: 'a'
};
