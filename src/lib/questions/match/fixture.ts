import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const matchFixture: Fixture<'match'> = {
	question: {
		...fixtureCommon,
		id: 'q-match',
		type: 'match',
		leftLabel: 'Actor',
		rightLabel: 'Role',
		left: [
			{ id: 'l1', text: 'One' },
			{ id: 'l2', text: 'Two' },
			{ id: 'l3', text: 'Three' }
		],
		right: [
			{ id: 'r1', text: 'First' },
			{ id: 'r2', text: 'Second' },
			{ id: 'r3', text: 'Third' }
		],
		answer: { l1: 'r1', l2: 'r2', l3: 'r3' }
	},
	right: { l3: 'r3', l1: 'r1', l2: 'r2' },
	wrong: { l1: 'r2', l2: 'r3', l3: 'r1' }
};
