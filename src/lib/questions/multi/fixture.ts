import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const multiFixture: Fixture<'multi'> = {
	question: {
		...fixtureCommon,
		id: 'q-multi',
		type: 'multi',
		options: [
			{ id: 'a', text: 'A' },
			{ id: 'b', text: 'B' },
			{ id: 'c', text: 'C' },
			{ id: 'd', text: 'D' }
		],
		answer: ['a', 'c']
	},
	right: ['c', 'a'],
	wrong: ['a', 'b']
};
